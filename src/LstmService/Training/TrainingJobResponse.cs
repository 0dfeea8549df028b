using System.Text.Json.Serialization;

namespace LstmService.Training;

/// <summary>A training job as clients see it.</summary>
/// <param name="Id">Job id.</param>
/// <param name="Model">Model the job trains a new version of.</param>
/// <param name="Status">queued, running, succeeded, failed or cancelled.</param>
/// <param name="Epoch">Epochs completed so far.</param>
/// <param name="Epochs">Maximum epochs of the job: the request's, or from the first epoch on fewer where a long series' fit is
/// capped (each of its epochs reads hundreds of thousands of network steps); the service's log says the same.</param>
/// <param name="TrainLoss">Training loss of the last completed epoch.</param>
/// <param name="ValidationLoss">Validation loss of the last completed epoch (null without a validation part).</param>
/// <param name="BestEpoch">Epoch whose weights were kept (once succeeded).</param>
/// <param name="Version">Version created (once succeeded).</param>
/// <param name="Error">Why the job failed (once failed), or why it was cancelled when no cancel of its own did it (its model
/// deleted); while it runs, why its trained version is not stored yet (the storage
/// refusing writes: it is tried again every second, for up to TrainingQueue:MaxJobSeconds), as the replica running it sees it.</param>
/// <param name="CreatedAt">When the job was queued.</param>
/// <param name="StartedAt">When training started (null while queued).</param>
/// <param name="FinishedAt">When the job ended.</param>
/// <param name="UpdatedAt">Last change of the job.</param>
/// <param name="LossCurve">Loss per epoch: only on GET /training-jobs/{id} once an epoch has ended; absent elsewhere, the job
/// list included (absent, not null: null would read as "no curve").</param>
/// <param name="Attempts">Times the job has started running, not counting runs a graceful shutdown put back in the queue: a job whose
/// run ended in a crash is re-queued until it reaches TrainingQueue:MaxAttempts, then fails.</param>
/// <param name="CancelRequested">True while a running job has been asked to stop (its cancel answered 202): it ends cancelled at its
/// current epoch's end, or on the replica running it within a lease renewal; absent otherwise.</param>
public sealed record TrainingJobResponse(
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LossCurveResponse? LossCurve = null,
    int Attempts = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool CancelRequested = false);
