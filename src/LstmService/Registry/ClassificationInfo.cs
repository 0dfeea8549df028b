using LstmService.Forecasting.Classification;

namespace LstmService.Registry;

/// <summary>A classifier's scores as stored with its version.</summary>
/// <param name="Part">"validation", or "training" when the job kept no validation part.</param>
/// <param name="Sequences">Sequences scored.</param>
/// <param name="Accuracy">Share predicted right.</param>
/// <param name="MacroF1">F1 averaged over the classes that occur in the scored part (truly or predicted), each counting equally.</param>
/// <param name="Classes">Class labels, the order of the matrix's rows and columns.</param>
/// <param name="ConfusionMatrix">Counts [true class][predicted class].</param>
/// <param name="F1">F1 per class.</param>
/// <param name="TrainingAccuracy">Accuracy on the training part.</param>
/// <param name="ClassWeights">The cross-entropy's weight per class, in class order.</param>
/// <param name="TrainingSequences">Sequences trained on.</param>
/// <param name="ValidationSequences">Sequences held out.</param>
public sealed record ClassificationInfo(
    string Part,
    int Sequences,
    double Accuracy,
    double MacroF1,
    IReadOnlyList<string> Classes,
    int[][] ConfusionMatrix,
    double[] F1,
    double TrainingAccuracy,
    float[] ClassWeights,
    int TrainingSequences,
    int ValidationSequences)
{
    public static ClassificationInfo Of(ClassificationResult result) => new(
        result.MetricsPart, result.Metrics.Sequences, result.Metrics.Accuracy, result.Metrics.MacroF1, result.Model.Classes.ToArray(),
        result.Metrics.ConfusionMatrix, result.Metrics.F1, result.TrainingAccuracy, result.ClassWeights, result.TrainingSequences, result.ValidationSequences);
}
