using System.Text.Json.Nodes;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Kernels;
using LstmService.TestSupport;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A model of several series keeps each identified series' own reach against its pooled interval offsets, and a forecast
/// naming that id scales the offsets by it: an intermittent series beside a weekly one, a flat one and an all-zero one had
/// covered 0.27 of its 0.1-0.9 interval.
/// </summary>
public class SeriesIntervalScalesTests
{
    static readonly float[] Levels = [0.1f, 0.5f, 0.9f];

    /// <summary>Residuals of two series drawn from normals of deviations 1 and 3, over <paramref name="steps"/> steps.</summary>
    static (List<float>[] Residuals, List<int>[] SeriesOf) TwoNoises(int windows, int steps, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var residuals = Enumerable.Range(0, steps).Select(_ => new List<float>()).ToArray();
        var seriesOf = Enumerable.Range(0, steps).Select(_ => new List<int>()).ToArray();
        for (int series = 0; series < 2; series++)
            for (int i = 0; i < windows; i++)
                for (int t = 0; t < steps; t++)
                {
                    residuals[t].Add((series == 0 ? 1f : 3f) * (float)rng.NextGaussian());
                    seriesOf[t].Add(series);
                }
        return (residuals, seriesOf);
    }

    [Fact]
    public void Each_series_factor_is_its_own_quantile_over_the_pooled_offset_shrunk_by_its_windows()
    {
        const int windows = 2000, steps = 3;
        var (residuals, seriesOf) = TwoNoises(windows, steps, 11);
        // Pooled offsets at z(0.9) = 1.2816 deviations of 2: each series' own quantile is 1.2816 or 3 x 1.2816.
        var offsets = new float[3 * steps];
        for (int t = 0; t < steps; t++) { offsets[t] = -2.5631f; offsets[2 * steps + t] = 2.5631f; }
        var scales = SeriesIntervalScales.Of(residuals, seriesOf, offsets, Levels, [windows, windows])!;
        double weight = windows / (windows + SeriesIntervalScales.ShrinkageWindows);
        foreach (var (series, reach) in new[] { (0, 0.5), (1, 1.5) })
        {
            var factors = scales[series]!;
            Assert.Equal(1f, factors[1]);
            // Every step's residuals are alike, so the factors do not grow with the step.
            Assert.InRange(factors[3], -0.1f, 0.1f);
            double expected = 1 + (reach - 1) * weight;
            foreach (int k in new[] { 0, 2 })
                Assert.InRange(factors[k], expected * 0.93, expected * 1.07);
        }
    }

    [Fact]
    public void Short_series_and_single_series_keep_the_pooled_offsets()
    {
        var (residuals, seriesOf) = TwoNoises(SeriesIntervalScales.MinimumWindows - 1, 2, 5);
        var offsets = new float[] { -1, -1, 0, 0, 1, 1 };
        Assert.All(SeriesIntervalScales.Of(residuals, seriesOf, offsets, Levels, [29, 29])!, Assert.Null);
        Assert.Null(SeriesIntervalScales.Of(residuals, seriesOf, offsets, Levels, [58]));
        // An all-zero series' residuals reach nowhere: its factor goes from 1 toward 0 as far as its 40 windows carry it.
        var zeros = new[] { Enumerable.Repeat(0f, 40).Concat(Enumerable.Repeat(2f, 40)).ToList() };
        var owners = new[] { Enumerable.Repeat(0, 40).Concat(Enumerable.Repeat(1, 40)).ToList() };
        var scaled = SeriesIntervalScales.Of(zeros, owners, new float[] { -1, 0, 1 }, Levels, [40, 40])!;
        float closed = (float)(1 - 40 / (40 + SeriesIntervalScales.ShrinkageWindows));
        Assert.Equal([closed, 1f, closed, 0f], scaled[0]!);
    }

    [Fact]
    public void A_series_whose_errors_grow_with_the_step_gets_factors_that_grow_with_it()
    {
        // Pooled offsets at 1.2816 at every step; one series' residuals have deviation 1, the other's √(t + 1), a random
        // walk's. Before the exponent, one factor per level had covered the walk's first step too widely and its last too narrowly.
        const int windows = 2000, steps = 7;
        var rng = new SeededRandom(3);
        var residuals = Enumerable.Range(0, steps).Select(_ => new List<float>()).ToArray();
        var seriesOf = Enumerable.Range(0, steps).Select(_ => new List<int>()).ToArray();
        for (int series = 0; series < 2; series++)
            for (int i = 0; i < windows; i++)
                for (int t = 0; t < steps; t++)
                {
                    residuals[t].Add((series == 0 ? 1f : MathF.Sqrt(t + 1)) * (float)rng.NextGaussian());
                    seriesOf[t].Add(series);
                }
        var offsets = new float[3 * steps];
        for (int t = 0; t < steps; t++) { offsets[t] = -1.2816f; offsets[2 * steps + t] = 1.2816f; }
        var scales = SeriesIntervalScales.Of(residuals, seriesOf, offsets, Levels, [windows, windows])!;
        double weight = windows / (windows + SeriesIntervalScales.ShrinkageWindows);
        Assert.InRange(scales[0]![3], -0.05f, 0.05f);
        var walk = scales[1]!;
        Assert.InRange(walk[3], 0.5 * weight - 0.05, 0.5 * weight + 0.05);

        // Each step's scaled 0.9 offset holds about 0.9 of the walk's residuals there: the first step and the last alike.
        double meanLog = SeriesIntervalScales.MeanLogStep(steps);
        foreach (int t in new[] { 0, steps - 1 })
        {
            float upper = offsets[2 * steps + t] * walk[2] * SeriesIntervalScales.StepFactor(walk[3], t, meanLog);
            double below = Enumerable.Range(0, residuals[t].Count).Count(j => seriesOf[t][j] == 1 && residuals[t][j] <= upper) / (double)windows;
            Assert.InRange(below, 0.87, 0.93);
        }
        // The factors' geometric mean over the steps is the level's own.
        double logMean = Enumerable.Range(0, steps).Average(t => Math.Log(SeriesIntervalScales.StepFactor(walk[3], t, meanLog)));
        Assert.InRange(logMean, -1e-6, 1e-6);
    }

    /// <summary>A weekly series, an intermittent one, an all-zero one and a flat one, 200 days each (the QA pass's).</summary>
    static TrainingSeries[] Shops(ulong seed, int opensLate = 0)
    {
        var rng = new SeededRandom(seed);
        float Sparse() => rng.NextInt(6) switch { < 4 => 0f, 4 => 5f, _ => 10f };
        return
        [
            new(Enumerable.Range(0, 200).Select(i => i < opensLate ? float.NaN : 100 + 20 * MathF.Sin(2 * MathF.PI * i / 7) + 4 * (float)rng.NextGaussian()).ToArray(), Id: "normal"),
            new(Enumerable.Range(0, 200).Select(_ => 0f).ToArray(), Id: "closed"),
            new(Enumerable.Range(0, 200).Select(_ => Sparse()).ToArray(), Id: "sparse"),
            new(Enumerable.Range(0, 200).Select(_ => 7.5f).ToArray(), Id: "flat7"),
        ];
    }

    [Fact]
    public void A_forecast_naming_an_intermittent_series_covers_it_as_its_own_residuals_did()
    {
        var model = ForecastTrainer.Train(Shops(3), new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 }).Model;
        Assert.NotNull(model.SeriesIntervalScales);
        Assert.Equal(["closed", "flat7", "normal", "sparse"], model.SeriesIntervalScales!.Keys.Order());
        Assert.True(model.SeriesIntervalScales["sparse"][2] > 1.5f, $"sparse 0.9 factor {model.SeriesIntervalScales["sparse"][2]}");

        // Fresh draws of the intermittent series, forecast with and without its id: the 0.9 quantile holds about nine in ten.
        var rng = new SeededRandom(7);
        int below = 0, belowPooled = 0, count = 0;
        for (int rep = 0; rep < 30; rep++)
        {
            var values = Enumerable.Range(0, 207).Select(_ => rng.NextInt(6) switch { < 4 => 0f, 4 => 5f, _ => 10f }).ToArray();
            var own = model.Forecast([new ForecastInput(values[..200], Id: "sparse")])[0];
            var pooled = model.Forecast([new ForecastInput(values[..200])])[0];
            for (int t = 0; t < 7; t++, count++)
            {
                if (values[200 + t] <= own.Quantiles[0.9f][t]) below++;
                if (values[200 + t] <= pooled.Quantiles[0.9f][t]) belowPooled++;
            }
        }
        Assert.InRange(below / (double)count, 0.8, 0.97);
        Assert.True(belowPooled < below - 20, $"pooled {belowPooled}, own {below} of {count}");

        // An id the model did not train on forecasts as no id does, bit for bit; a training series' id mixes with its own weights.
        var history = Shops(3)[0].Values;
        var plain = model.Forecast([new ForecastInput(history)])[0];
        var stranger = model.Forecast([new ForecastInput(history, Id: "elsewhere")])[0];
        var named = model.Forecast([new ForecastInput(history, Id: "normal")])[0];
        Assert.Equal(plain.Mean, stranger.Mean);
        Assert.Equal(plain.Quantiles[0.9f], stranger.Quantiles[0.9f]);
        Assert.NotNull(model.SeriesMixWeights?["normal"]);
        // A stream of the same values forecasts what the one-off forecast does under the same id.
        var state = model.NewState();
        foreach (var v in history) model.Append(state, v);
        var streamed = model.Forecast(state, seriesId: "normal");
        Assert.Equal(named.Mean, streamed.Mean);
        Assert.Equal(named.Quantiles[0.9f], streamed.Quantiles[0.9f]);
    }

    [Fact]
    public void A_random_walk_among_weekly_series_holds_its_interval_at_the_last_step_as_at_the_first_under_its_id()
    {
        var rng = new SeededRandom(21);
        float level = 100;
        var walk = Enumerable.Range(0, 200).Select(_ => level += 3 * (float)rng.NextGaussian()).ToArray();
        var training = Shops(9)[..1].Concat(Shops(10)[..1]).Concat(Shops(11)[..1]).Select((s, i) => s with { Id = $"weekly{i}" })
            .Append(new TrainingSeries(walk, Id: "walk")).ToArray();
        var model = ForecastTrainer.Train(training, new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 }).Model;
        var factors = model.SeriesIntervalScales!["walk"];
        Assert.True(factors[3] > 0.15f, $"step exponent {factors[3]}");
        var alike = model.WithSeriesIntervalScales(new Dictionary<string, float[]> { ["walk"] = factors[..3] });

        // From 40 origins past the training part, 25 continuations each: the share inside the 0.1-0.9 interval per step.
        var inside = new int[2, 7];
        var history = walk.ToList();
        int draws = 0;
        for (int origin = 0; origin < 40; origin++)
        {
            history.Add(history[^1] + 3 * (float)rng.NextGaussian());
            var own = model.Forecast([new ForecastInput(history.ToArray(), Id: "walk")])[0];
            var flat = alike.Forecast([new ForecastInput(history.ToArray(), Id: "walk")])[0];
            // The median's offset is no reach: the exponent leaves it where it was (a review saw it scaled too).
            Assert.Equal(flat.Quantiles[0.5f], own.Quantiles[0.5f]);
            for (int d = 0; d < 25; d++, draws++)
            {
                float value = history[^1];
                for (int t = 0; t < 7; t++)
                {
                    value += 3 * (float)rng.NextGaussian();
                    foreach (var (m, f) in new[] { (0, own), (1, flat) })
                        if (f.Quantiles[0.1f][t] <= value && value <= f.Quantiles[0.9f][t]) inside[m, t]++;
                }
            }
        }
        // The first two steps and the last two: one factor for every step had covered the walk's first steps too widely
        // and its last too narrowly (a QA pass over HTTP: 0.95 at step 1, 0.71 at step 7); the exponent flattens that.
        double Share(int m, int from) => (inside[m, from] + inside[m, from + 1]) / (2.0 * draws);
        double ownDrop = Share(0, 0) - Share(0, 5), alikeDrop = Share(1, 0) - Share(1, 5);
        string shares = $"first steps {Share(0, 0):F2} / {Share(1, 0):F2}, last {Share(0, 5):F2} / {Share(1, 5):F2} (with the exponent / one factor)";
        Assert.True(ownDrop < alikeDrop - 0.08, shares);
        Assert.True(Share(0, 5) > Share(1, 5) && Share(0, 0) < Share(1, 0), shares);
    }

    [Fact]
    public void Scales_survive_the_binary_format_and_the_state_dict_and_a_bad_one_is_named()
    {
        var model = ForecastTrainer.Train(Shops(5), new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 3, Ensemble = 1, Seed = 1 }).Model;
        var scales = model.SeriesIntervalScales!;
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = ForecastModel.Load(stream);
        var imported = ForecastModel.FromStateDict(model.ToStateDictJson());
        foreach (var copy in new[] { loaded, imported })
        {
            Assert.Equal(scales.Keys.Order(), copy.SeriesIntervalScales!.Keys.Order());
            foreach (var (id, factors) in scales) Assert.Equal(factors, copy.SeriesIntervalScales[id]);
            Assert.Equal(model.SeriesMixWeights!.Keys.Order(), copy.SeriesMixWeights!.Keys.Order());
            foreach (var (id, weights) in model.SeriesMixWeights) Assert.Equal(weights, copy.SeriesMixWeights[id]);
        }
        // The weights file keeps one factor per level where releases before the step exponent read them, the exponents apart,
        // so an older replica still loads the version (a review: it had refused the longer arrays).
        stream.Position = 0;
        ModelSerializer.ReadNetwork(stream, out var meta);
        var stored = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, float[]>>(meta["forecast.seriesIntervalScales"])!;
        Assert.All(stored.Values, factors => Assert.Equal(3, factors.Length));
        Assert.Equal(scales.Keys.Order(), System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, float>>(meta["forecast.seriesIntervalGrowth"])!.Keys.Order());

        var history = Shops(5)[2].Values;
        Assert.Equal(model.Forecast([new ForecastInput(history, Id: "sparse")])[0].Quantiles[0.9f],
            imported.Forecast([new ForecastInput(history, Id: "sparse")])[0].Quantiles[0.9f]);

        // Factors stored before the step exponent (one per level) read as exponent 0: every step scaled alike.
        var sparse = scales["sparse"];
        var flat = new Dictionary<string, float[]> { ["sparse"] = sparse[..3] };
        var level = new Dictionary<string, float[]> { ["sparse"] = [.. sparse[..3], 0f] };
        Assert.Equal(model.WithSeriesIntervalScales(flat).Forecast([new ForecastInput(history, Id: "sparse")])[0].Quantiles[0.9f],
            model.WithSeriesIntervalScales(level).Forecast([new ForecastInput(history, Id: "sparse")])[0].Quantiles[0.9f]);

        // A series that opened late (its leading values missing) keeps its scales under its id too.
        var late = ForecastTrainer.Train(Shops(5, opensLate: 10), new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 3, Ensemble = 1, Seed = 1 }).Model;
        Assert.Equal(["closed", "flat7", "normal", "sparse"], late.SeriesIntervalScales!.Keys.Order());

        // One training series keeps no scales: the pooled offsets are its own.
        Assert.Null(ForecastTrainer.Train([Shops(5)[0]], new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 3, Ensemble = 1, Seed = 1 }).Model.SeriesIntervalScales);

        var document = JsonNode.Parse(model.ToStateDictJson())!.AsObject();
        document["_forecast"]!["seriesIntervalScales"]!["sparse"] = new JsonArray(1, -2, 3);
        var e = Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(document.ToJsonString()));
        Assert.Equal("_forecast.seriesIntervalScales.sparse", StateDictErrors.KeyOf(e));
        document["_forecast"]!["seriesIntervalScales"]!["sparse"] = new JsonArray(1, 2);
        e = Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(document.ToJsonString()));
        Assert.Equal("_forecast.seriesIntervalScales.sparse", StateDictErrors.KeyOf(e));
        // Past the largest factor, or a median that moves: refused, the series named.
        foreach (var bad in new[] { new JsonArray(1, 1, 11), new JsonArray(1, 2, 1), new JsonArray(1, 1, 1, 2), new JsonArray(1, 1, 1, 0, 0) })
        {
            document["_forecast"]!["seriesIntervalScales"]!["sparse"] = bad;
            e = Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(document.ToJsonString()));
            Assert.Equal("_forecast.seriesIntervalScales.sparse", StateDictErrors.KeyOf(e));
            Assert.Contains("'sparse'", e.Message);
        }
        // Mixing weights that do not sum to 1 are refused under their own setting.
        var weighted = JsonNode.Parse(model.ToStateDictJson())!.AsObject();
        weighted["_forecast"]!["seriesMixWeights"]!["sparse"] = new JsonArray(0.5, 0.5, 0.5, 0, 0);
        e = Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(weighted.ToJsonString()));
        Assert.Equal("_forecast.seriesMixWeights.sparse", StateDictErrors.KeyOf(e));
        Assert.Contains("'sparse'", e.Message);
        // An id no forecast could name (a control character, 300 characters) is refused, shown quoted and cut short.
        foreach (var id in new[] { "a\u0001", new string('x', 300) })
        {
            var odd = JsonNode.Parse(model.ToStateDictJson())!.AsObject();
            odd["_forecast"]!["seriesMixWeights"]![id] = odd["_forecast"]!["seriesMixWeights"]!["sparse"]!.DeepClone();
            e = Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(odd.ToJsonString()));
            Assert.Equal("_forecast.seriesMixWeights", StateDictErrors.KeyOf(e));
            Assert.Contains(System.Text.Json.JsonSerializer.Serialize(id.Length > 40 ? id[..40] + "..." : id), e.Message);
        }
        // Entries past the weights file's budget for them are refused: stored, the file could not have been read back.
        var many = JsonNode.Parse(model.ToStateDictJson())!.AsObject();
        for (int k = 0; k < 5000; k++) many["_forecast"]!["seriesIntervalScales"]![$"s{k:D6}"] = new JsonArray(1, 1, 1, 0);
        e = Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(many.ToJsonString()));
        Assert.Equal("_forecast.seriesIntervalScales", StateDictErrors.KeyOf(e));
        Assert.Contains("at most 262,144 fit", e.Message);
        for (int k = 2500; k < 5000; k++) many["_forecast"]!["seriesIntervalScales"]!.AsObject().Remove($"s{k:D6}");
        Assert.Equal(2504, ForecastModel.FromStateDict(many.ToJsonString()).SeriesIntervalScales!.Count);
        // An id given twice (JSON allows it; the export never writes it) is named too, not read as the last one.
        string twice = model.ToStateDictJson().Replace("\"seriesIntervalScales\":{", "\"seriesIntervalScales\":{\"sparse\":[1,1,1],", StringComparison.Ordinal);
        e = Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(twice));
        Assert.Equal("_forecast.seriesIntervalScales", StateDictErrors.KeyOf(e));
        // A network-only model takes none: its offsets are added without the mix that reads them.
        Assert.Throws<ArgumentException>(() => new ForecastModel(model.Network, model.InputWindow, model.Horizon, model.Quantiles.ToArray(), model.Scaling,
            highway: null, calibration: model.Calibration!.ToArray()).WithSeriesIntervalScales(scales));
    }
}
