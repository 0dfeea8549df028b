using LstmService.Forecasting.Training;

namespace LstmService.Training;

/// <summary>The kernel's trainer behind a seam, so tests can substitute a failing or slow one; the service adds no math of its own.</summary>
public interface ITrainer
{
    TrainingResult Train(IReadOnlyList<TrainingSeries> series, TrainingOptions options, Action<EpochProgress>? progress, CancellationToken cancellationToken);
}
