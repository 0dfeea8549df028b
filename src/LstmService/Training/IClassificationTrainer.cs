using LstmService.Forecasting.Classification;
using LstmService.Forecasting.Training;

namespace LstmService.Training;

/// <summary>The kernel's classification trainer behind a seam, as <see cref="ITrainer"/> is the forecaster's.</summary>
public interface IClassificationTrainer
{
    ClassificationResult Train(IReadOnlyList<ClassificationSequence> sequences, ClassificationOptions options, Action<EpochProgress>? progress, CancellationToken cancellationToken);
}

internal sealed class KernelClassificationTrainer : IClassificationTrainer
{
    public ClassificationResult Train(IReadOnlyList<ClassificationSequence> sequences, ClassificationOptions options, Action<EpochProgress>? progress, CancellationToken cancellationToken) =>
        ClassificationTrainer.Train(sequences, options, progress, cancellationToken);
}
