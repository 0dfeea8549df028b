using System.Diagnostics;
using System.Text.Json;
using LstmService.Forecasting.Classification;
using LstmService.Kernels;
using Xunit.Abstractions;

namespace LstmService.Forecasting.Tests;

/// <summary>Sequence classification on a real series: training, variable lengths, metrics, class weights, formats, checks.</summary>
public class ClassificationTests(ITestOutputHelper output)
{
    static readonly ClassificationOptions Fast = NottemClassifiers.Fast;

    static ClassificationSequence[] Labelled(IEnumerable<NottemWindows.Window> windows) => NottemClassifiers.Labelled(windows);

    static ClassificationResult Trained => NottemClassifiers.Trained(RecurrentCell.Lstm);

    [Fact]
    public void Tells_the_quarter_of_a_window_of_Nottingham_temperatures_it_never_saw()
    {
        var started = Stopwatch.StartNew();
        var result = Trained;
        var later = NottemWindows.From1936;
        double accuracy = NottemClassifiers.LaterAccuracy(result.Model);
        output.WriteLine($"LSTM: later-window accuracy {accuracy:F3} ({later.Count} windows), validation accuracy {result.Metrics.Accuracy:F3}, macro-F1 {result.Metrics.MacroF1:F3}, best epoch {result.BestEpoch} of {result.EpochsRun}");
        // Four classes (chance 0.25); measured 0.979 (47 of 48) on the windows ending 1936-1939, all later than every training window.
        Assert.True(accuracy >= 0.8, $"accuracy {accuracy:F3} on {later.Count} later windows");
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], result.Model.Classes);
        Assert.Equal("validation", result.MetricsPart);
        Assert.True(result.Metrics.Accuracy >= 0.7, $"validation accuracy {result.Metrics.Accuracy:F3}");
        Assert.Equal(result.ValidationSequences, result.Metrics.ConfusionMatrix.Sum(row => row.Sum()));
        Assert.True(result.BestEpoch >= 1 && result.BestEpoch <= result.EpochsRun);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"took {started.Elapsed}");
    }

    [Fact]
    public void A_sequence_gets_the_same_probabilities_alone_and_in_a_batch_with_longer_and_equal_length_ones()
    {
        var alone = NottemClassifiers.AssertSameAloneAndInABatch(Trained.Model);
        Assert.Equal(1.0, alone.Probabilities.Sum(), 5);
    }

    [Fact]
    public void The_binary_format_and_the_state_dict_carry_the_classes_and_answer_the_same()
    {
        var model = Trained.Model;
        using var ms = new MemoryStream();
        var loaded = NottemClassifiers.AssertRoundTrips(model, ms);
        Assert.Equal(model.Classes, loaded.Classes);

        using var doc = JsonDocument.Parse(model.ToStateDictJson());
        var root = doc.RootElement;
        Assert.Equal([4, 16], root.GetProperty("head.weight").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([64, 1], root.GetProperty("lstm.weight_ih_l0").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], root.GetProperty("_classification").GetProperty("classes").EnumerateArray().Select(e => e.GetString()));

        // A forecaster's loader refuses a classifier's file and the other way round, with a message.
        ms.Position = 0;
        Assert.Throws<InvalidDataException>(() => Models.ForecastModel.Load(ms));
    }

    [Fact]
    public void Metrics_match_a_hand_count()
    {
        // Truth a a a b b c, predicted a a b b c c.
        var m = ClassificationMetrics.Compute([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);
        Assert.Equal(4.0 / 6, m.Accuracy, 10);
        Assert.Equal([[2, 1, 0], [0, 1, 1], [0, 0, 1]], m.ConfusionMatrix);
        // F1: a = 2·1·(2/3)/(1 + 2/3) = 0.8, b = 0.5, c = 2·0.5·1/1.5 = 2/3.
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, m.MacroF1, 10);
        // A class that neither occurs nor is predicted does not count in the macro average.
        Assert.Equal(1.0, ClassificationMetrics.Compute([0, 1], [0, 1], 3).MacroF1, 10);
    }

    [Fact]
    public void Balanced_weights_make_a_rare_class_count_as_much_and_given_weights_are_kept()
    {
        int[] targets = [0, 0, 0, 0, 0, 0, 1, 1];
        int[] all = Enumerable.Range(0, 8).ToArray();
        Assert.Equal([8f / 12, 8f / 4], ClassificationTrainer.ClassWeights(["a", "b"], targets, all, null));
        Assert.Equal([1f, 5f], ClassificationTrainer.ClassWeights(["a", "b"], targets, all, new Dictionary<string, float> { ["b"] = 5f }));
    }

    [Fact]
    public void A_heavier_class_weight_makes_the_network_give_that_class_more_probability()
    {
        // Imbalanced: every Q1 window but a fifth of the others (Q1 is then about half the set).
        var windows = NottemWindows.Before1936.Where((w, i) => w.Label == "Q1" || i % 5 == 0).ToArray();
        var later = Labelled(NottemWindows.From1936);
        double MeanQ1(IReadOnlyDictionary<string, float>? weights) =>
            ClassificationTrainer.Train(Labelled(windows), Fast with { ClassWeights = weights }).Model.Classify(later).Average(p => p.Probabilities[0]);
        double uniform = MeanQ1(new Dictionary<string, float> { ["Q1"] = 1f });
        double balanced = MeanQ1(null); // Q1, the common class, weighs less than the others
        double heavy = MeanQ1(new Dictionary<string, float> { ["Q1"] = 10f });
        Assert.True(balanced < uniform, $"mean P(Q1) {balanced:F4} balanced, {uniform:F4} with equal weights");
        Assert.True(heavy > uniform, $"mean P(Q1) {heavy:F4} at weight 10, {uniform:F4} at weight 1");
    }

    [Fact]
    public void The_time_split_holds_out_the_last_sequences_and_the_stratified_one_every_class()
    {
        int[] targets = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
        var (_, time) = ClassificationTrainer.Split(targets, 2, new ClassificationOptions { ValidationFraction = 0.2f, Validation = ValidationSplit.Time }, new SeededRandom(1));
        Assert.Equal([8, 9], time);
        var (train, stratified) = ClassificationTrainer.Split(targets, 2, new ClassificationOptions { ValidationFraction = 0.4f }, new SeededRandom(1));
        Assert.Equal(2, stratified.Count(i => targets[i] == 0));
        Assert.Equal(2, stratified.Count(i => targets[i] == 1));
        Assert.Equal(6, train.Length);
    }

    [Fact]
    public void Check_names_each_problem_by_its_field()
    {
        var problems = ClassificationTrainer.Check(
        [
            new ClassificationSequence([1f, 2f], Label: "a"),
            new ClassificationSequence([1f], Label: null),
            new ClassificationSequence([1f, 2f], new Dictionary<string, float[]> { ["x"] = [1f, 2f] }, "a"),
        ], Fast with { ClassWeights = new Dictionary<string, float> { ["zzz"] = 1f } });
        var fields = problems.Select(p => p.Field).ToArray();
        Assert.Contains("series[1].label", fields);
        Assert.Contains("series[2].covariates", fields);
        Assert.Contains("series", fields); // one class only
        Assert.Contains("classWeights.zzz", fields);
        Assert.Throws<ArgumentException>(() => ClassificationTrainer.Train([new ClassificationSequence([1f], Label: "a")], Fast));

        // A sequence with no observed value is refused, as classify refuses one; one observed value is enough.
        var empty = ClassificationTrainer.Check(
            [new ClassificationSequence([float.NaN, float.NaN], Label: "a"), new ClassificationSequence([float.NaN, 2f], Label: "b")], Fast);
        var problem = Assert.Single(empty);
        Assert.Equal("series[0].values", problem.Field);
        Assert.Contains("Every value is missing", problem.Message);
    }
}
