namespace LstmService.Forecasting.Classification;

/// <summary>What a classification run produced.</summary>
/// <param name="Model">The classifier with the best epoch's weights.</param>
/// <param name="EpochsRun">Epochs run (early stopping may end sooner).</param>
/// <param name="BestEpoch">Epoch whose weights were kept (lowest validation loss; the last without a validation part).</param>
/// <param name="TrainLosses">Weighted cross-entropy per epoch on the training part.</param>
/// <param name="ValidationLosses">Weighted cross-entropy per epoch on the validation part (NaN without one).</param>
/// <param name="Metrics">Accuracy, macro-F1 and confusion matrix of the kept weights on the validation part, or on the training part without one.</param>
/// <param name="MetricsPart">"validation" or "training": which part <paramref name="Metrics"/> scored.</param>
/// <param name="TrainingAccuracy">Accuracy of the kept weights on the training part.</param>
/// <param name="ClassWeights">The cross-entropy's weight per class, in class order.</param>
/// <param name="TrainingSequences">Sequences trained on.</param>
/// <param name="ValidationSequences">Sequences held out.</param>
/// <param name="MissingValues">Missing values (NaN) in the values and covariates of all sequences.</param>
public sealed record ClassificationResult(
    SequenceClassifier Model,
    int EpochsRun,
    int BestEpoch,
    IReadOnlyList<double> TrainLosses,
    IReadOnlyList<double> ValidationLosses,
    ClassificationMetrics Metrics,
    string MetricsPart,
    double TrainingAccuracy,
    float[] ClassWeights,
    int TrainingSequences,
    int ValidationSequences,
    int MissingValues);
