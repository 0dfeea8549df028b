using System.Text.Json;
using LstmService.Forecasting.Classification;
using LstmService.Kernels;
using Xunit.Abstractions;

namespace LstmService.Forecasting.Tests;

/// <summary>A GRU classifier on the same real data and settings as <see cref="ClassificationTests"/>' LSTM: accuracy, batch invariance, formats.</summary>
public class GruClassificationTests(ITestOutputHelper output)
{
    static readonly ClassificationOptions Fast = NottemClassifiers.Fast with { Cell = RecurrentCell.Gru };

    static ClassificationSequence[] Labelled(IEnumerable<NottemWindows.Window> windows) => NottemClassifiers.Labelled(windows);

    static ClassificationResult Trained => NottemClassifiers.Trained(RecurrentCell.Gru);

    [Fact]
    public void A_GRU_tells_the_quarter_of_later_windows_as_well_as_the_stated_margin()
    {
        var result = Trained;
        Assert.Equal(RecurrentCell.Gru, result.Model.Cell);
        Assert.IsType<GruNetwork>(result.Model.Network);
        var later = NottemWindows.From1936;
        double accuracy = NottemClassifiers.LaterAccuracy(result.Model);
        output.WriteLine($"GRU: later-window accuracy {accuracy:F3} ({later.Count} windows), validation accuracy {result.Metrics.Accuracy:F3}, macro-F1 {result.Metrics.MacroF1:F3}, best epoch {result.BestEpoch} of {result.EpochsRun}");
        // The LSTM's margin (four classes, chance 0.25); measured 0.979 (47 of 48), validation 0.972 (the LSTM: 0.979 and 1.000).
        Assert.True(accuracy >= 0.8, $"accuracy {accuracy:F3} on {later.Count} later windows");
        Assert.True(result.Metrics.Accuracy >= 0.7, $"validation accuracy {result.Metrics.Accuracy:F3}");
    }

    [Fact]
    public void A_GRU_gives_a_sequence_the_same_probabilities_alone_and_in_a_batch()
    {
        NottemClassifiers.AssertSameAloneAndInABatch(Trained.Model);
    }

    [Fact]
    public void A_GRU_classifier_round_trips_the_binary_format_and_exports_gru_tensors()
    {
        var model = Trained.Model;
        using var ms = new MemoryStream();
        var loaded = NottemClassifiers.AssertRoundTrips(model, ms);
        Assert.Equal(RecurrentCell.Gru, loaded.Cell);

        using var doc = JsonDocument.Parse(model.ToStateDictJson());
        var root = doc.RootElement;
        Assert.Equal([48, 1], root.GetProperty("gru.weight_ih_l0").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32())); // 3 gates × 16
        Assert.Equal([48, 16], root.GetProperty("gru.weight_hh_l0").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(root.TryGetProperty("lstm.weight_ih_l0", out _));
        Assert.Equal([4, 16], root.GetProperty("head.weight").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        var settings = root.GetProperty(SequenceClassifier.StateClassificationKey);
        Assert.Equal("gru", settings.GetProperty("cell").GetString());
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], settings.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Peepholes_with_a_GRU_are_named_as_a_problem()
    {
        var sequences = Labelled(NottemWindows.Before1936.Take(8));
        var problem = Assert.Single(ClassificationTrainer.Check(sequences, Fast with { Peepholes = true }));
        Assert.Equal("peepholes", problem.Field);
        Assert.Empty(ClassificationTrainer.Check(sequences, Fast with { Peepholes = true, Cell = RecurrentCell.Lstm }));
        Assert.Equal("cell", Assert.Single(ClassificationTrainer.Check(sequences, Fast with { Cell = (RecurrentCell)7 })).Field);
    }

    [Fact]
    public void The_default_cell_is_the_LSTM_the_classifier_always_ran()
    {
        Assert.Equal(RecurrentCell.Lstm, new ClassificationOptions().Cell);
        var model = ClassificationTrainer.Train(Labelled(NottemWindows.Before1936.Take(24)), Fast with { Cell = RecurrentCell.Lstm, Epochs = 1 }).Model;
        Assert.IsType<LstmNetwork>(model.Network);
        Assert.Equal(RecurrentCell.Lstm, model.Cell);
    }
}
