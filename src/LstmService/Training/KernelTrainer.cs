using LstmService.Forecasting.Training;

namespace LstmService.Training;

internal sealed class KernelTrainer : ITrainer
{
    public TrainingResult Train(IReadOnlyList<TrainingSeries> series, TrainingOptions options, Action<EpochProgress>? progress, CancellationToken cancellationToken) =>
        ForecastTrainer.Train(series, options, progress, cancellationToken);
}
