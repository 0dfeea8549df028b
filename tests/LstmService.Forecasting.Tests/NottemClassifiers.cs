using LstmService.Forecasting.Classification;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// The classifiers the LSTM and GRU classification tests share: the same settings and data for either cell,
/// each trained once, and the checks both cells must pass, so the two test classes compare like with like.
/// </summary>
internal static class NottemClassifiers
{
    public static readonly ClassificationOptions Fast = new() { HiddenSize = 16, Epochs = 60, BatchSize = 16, LearningRate = 0.02f, Patience = 15, Seed = 7 };

    public static ClassificationSequence[] Labelled(IEnumerable<NottemWindows.Window> windows) =>
        windows.Select(w => new ClassificationSequence(w.Values, Label: w.Label)).ToArray();

    static readonly Lazy<ClassificationResult> Lstm = new(() => Train(RecurrentCell.Lstm));
    static readonly Lazy<ClassificationResult> Gru = new(() => Train(RecurrentCell.Gru));

    static ClassificationResult Train(RecurrentCell cell) =>
        ClassificationTrainer.Train(Labelled(NottemWindows.Before1936), Fast with { Cell = cell });

    /// <summary>The classifier of that cell trained on the windows before 1936 (trained on first use).</summary>
    public static ClassificationResult Trained(RecurrentCell cell) => cell == RecurrentCell.Gru ? Gru.Value : Lstm.Value;

    /// <summary>Accuracy on the windows from 1936 on, all later than every training window.</summary>
    public static double LaterAccuracy(SequenceClassifier model)
    {
        var later = NottemWindows.From1936;
        var predictions = model.Classify(Labelled(later));
        return later.Zip(predictions).Count(p => p.First.Label == p.Second.Label) / (double)later.Count;
    }

    /// <summary>
    /// Classifies the shortest later window alone and first in a batch with longer and equal-length ones,
    /// asserts the probabilities are the same bit for bit and returns the one alone.
    /// </summary>
    public static ClassPrediction AssertSameAloneAndInABatch(SequenceClassifier model)
    {
        var windows = NottemWindows.From1936;
        var shortest = windows.First(w => w.Values.Length == 4);
        var alone = model.Classify([new ClassificationSequence(shortest.Values)])[0];
        var batch = windows.Select(w => new ClassificationSequence(w.Values)).Prepend(new ClassificationSequence(shortest.Values)).ToArray();
        Assert.Contains(batch.Skip(1), s => s.Values.Length > 4);
        Assert.Contains(batch.Skip(1), s => s.Values.Length == 4);
        Assert.Equal(alone.Probabilities, model.Classify(batch)[0].Probabilities); // no padding, equal lengths share a pass row by row
        return alone;
    }

    /// <summary>
    /// Saves the model in the binary format, loads it back, asserts the copy answers the later windows the same
    /// and returns the copy; <paramref name="saved"/> is left holding the file for further checks.
    /// </summary>
    public static SequenceClassifier AssertRoundTrips(SequenceClassifier model, MemoryStream saved)
    {
        var sequences = NottemWindows.From1936.Select(w => new ClassificationSequence(w.Values)).ToArray();
        model.Save(saved);
        saved.Position = 0;
        var loaded = SequenceClassifier.Load(saved);
        Assert.Equal(model.Classify(sequences).Select(p => p.Probabilities), loaded.Classify(sequences).Select(p => p.Probabilities));
        return loaded;
    }
}
