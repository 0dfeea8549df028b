namespace LstmService.Forecasting.Classification;

/// <summary>How well predicted classes match the true ones.</summary>
/// <param name="Sequences">Sequences scored.</param>
/// <param name="Accuracy">Share predicted right.</param>
/// <param name="MacroF1">F1 averaged over the classes that occur (truly or predicted), each class counting equally (scikit-learn's average="macro").</param>
/// <param name="ConfusionMatrix">Counts [true class][predicted class], in the model's class order.</param>
/// <param name="Precision">Per class: right among those predicted as it (0 when none was).</param>
/// <param name="Recall">Per class: right among those truly of it (0 when none is).</param>
/// <param name="F1">Per class: harmonic mean of precision and recall (0 when both are).</param>
public sealed record ClassificationMetrics(int Sequences, double Accuracy, double MacroF1, int[][] ConfusionMatrix, double[] Precision, double[] Recall, double[] F1)
{
    /// <summary>The metrics of predicted class indices against true ones, <paramref name="classes"/> classes.</summary>
    public static ClassificationMetrics Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes)
    {
        if (truth.Count != predicted.Count) throw new ArgumentException("One prediction per true class is needed.", nameof(predicted));
        var matrix = new int[classes][];
        for (int c = 0; c < classes; c++) matrix[c] = new int[classes];
        int right = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            matrix[truth[i]][predicted[i]]++;
            if (truth[i] == predicted[i]) right++;
        }
        var precision = new double[classes];
        var recall = new double[classes];
        var f1 = new double[classes];
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++)
        {
            int tp = matrix[c][c], actual = matrix[c].Sum(), asThis = 0;
            for (int r = 0; r < classes; r++) asThis += matrix[r][c];
            precision[c] = asThis == 0 ? 0 : (double)tp / asThis;
            recall[c] = actual == 0 ? 0 : (double)tp / actual;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
            if (!Occurs(matrix, c)) continue;
            sum += f1[c];
            present++;
        }
        double accuracy = truth.Count == 0 ? 0 : (double)right / truth.Count;
        return new(truth.Count, accuracy, present == 0 ? 0 : sum / present, matrix, precision, recall, f1);
    }

    /// <summary>Whether class <paramref name="c"/> occurs in the scored part, truly or predicted: the classes the macro F1 averages over.</summary>
    public static bool Occurs(int[][] matrix, int c) => matrix[c].Sum() > 0 || matrix.Sum(row => row[c]) > 0;
}
