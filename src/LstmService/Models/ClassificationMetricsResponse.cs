using LstmService.Registry;
using LstmService.Forecasting.Classification;

namespace LstmService.Models;

/// <summary>A classifier's scores on its validation part (or its training part when the job kept none).</summary>
/// <param name="Part">"validation" or "training": which sequences were scored.</param>
/// <param name="Sequences">Sequences scored.</param>
/// <param name="Accuracy">Share predicted right.</param>
/// <param name="MacroF1">F1 averaged over the classes that occur in the scored part (truly or predicted), each counting equally: those of <paramref name="ClassesNotScored"/> are left out.</param>
/// <param name="Classes">Class labels: the order of the confusion matrix's rows (true class) and columns (predicted class).</param>
/// <param name="ConfusionMatrix">Counts [true class][predicted class].</param>
/// <param name="F1">F1 per class, in class order.</param>
/// <param name="TrainingAccuracy">Accuracy on the training part.</param>
/// <param name="ClassWeights">The cross-entropy's weight per class, in class order (balanced unless the job gave classWeights).</param>
/// <param name="TrainingSequences">Sequences trained on.</param>
/// <param name="ValidationSequences">Sequences held out.</param>
/// <param name="ClassesNotScored">Classes with no sequence in the scored part and none predicted (a class too rare for the split to hold one out): nothing judged them, and their F1 of 0 is no score. Empty when every class was scored.</param>
public sealed record ClassificationMetricsResponse(
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
    int ValidationSequences,
    IReadOnlyList<string> ClassesNotScored)
{
    public static ClassificationMetricsResponse? From(ClassificationInfo? c) => c is null ? null : new(
        c.Part, c.Sequences, c.Accuracy, c.MacroF1, c.Classes, c.ConfusionMatrix, c.F1, c.TrainingAccuracy, c.ClassWeights, c.TrainingSequences, c.ValidationSequences,
        [.. c.Classes.Where((_, k) => !ClassificationMetrics.Occurs(c.ConfusionMatrix, k))]);
}
