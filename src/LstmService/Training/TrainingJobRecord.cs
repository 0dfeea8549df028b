using LstmService.Registry;

namespace LstmService.Training;

/// <summary>A training job as stored (storage type; endpoints map it to <see cref="TrainingJobResponse"/>).</summary>
public sealed record TrainingJobRecord(
    Guid Id,
    string Model,
    TrainingJobStatus Status,
    int Epoch,
    int Epochs,
    double? TrainLoss,
    double? ValidationLoss,
    int? BestEpoch,
    int? Version,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset UpdatedAt,
    LossCurve? LossCurve,
    int Attempts = 0,
    bool CancelRequested = false)
{
    public bool IsFinished => Status is TrainingJobStatus.Succeeded or TrainingJobStatus.Failed or TrainingJobStatus.Cancelled;
}
