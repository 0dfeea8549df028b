using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Forecasting.Tests;

/// <summary>Training and forecasting mechanisms: masking, determinism, quantile order, persistence of the new settings.</summary>
public class ForecastingModelTests
{
    /// <summary>Small but complete: auto window from the season, highway, 2-member ensemble, calibration and refit.</summary>
    static readonly TrainingOptions Small = new()
    {
        Horizon = 3, HiddenSize = 6, Epochs = 3, Patience = 2, BatchSize = 16, Ensemble = 2, Seed = 7,
    };

    // The network corrects the linear highway (not the classical members' mean), so the highway is part of the model.
    static readonly TrainingOptions SmallWithHighway = Small with { CorrectStatistics = false };

    static float[] Seasonal(int length, ulong seed, int period = 12)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => (float)(50 + 0.2 * t + 5 * Math.Sin(2 * Math.PI * t / period) + rng.NextGaussian())).ToArray();
    }

    [Fact]
    public void MissingTargetsGetNoGradient()
    {
        var values = Enumerable.Range(0, 30).Select(i => (float)i).ToArray();
        values[12] = float.NaN;
        var options = new TrainingOptions { InputWindow = 4, Horizon = 3, ValidationFraction = 0, Quantiles = [0.1f, 0.9f] };
        var set = SeriesSet.Prepare([new TrainingSeries(values)], options);
        var data = WindowedData.Build(set, set.Statistics(ScalingMode.WindowLevel, true), 4, 3, ScalingMode.WindowLevel, heldOut: false);
        var batch = new BatchBuffers(1, 4, 3, 2);
        int index = data.Train.FindIndex(w => w.TargetStart == 11); // targets 11, 12 (missing), 13
        batch.Fill(data, data.Train, [index]);
        Assert.True(float.IsNaN(batch.Targets[1]));
        var output = new float[3 * 3];
        for (int i = 0; i < output.Length; i++) output[i] = 0.1f * (i + 1);
        double loss = batch.Loss(output, [0.1f, 0.9f], 1, computeGradient: true);
        Assert.True(double.IsFinite(loss));
        // Layout [mean x3, q0.1 x3, q0.9 x3]: the middle step of every block is masked.
        for (int block = 0; block < 3; block++)
        {
            Assert.Equal(0f, batch.OutputGradient[block * 3 + 1]);
            Assert.NotEqual(0f, batch.OutputGradient[block * 3]);
            Assert.NotEqual(0f, batch.OutputGradient[block * 3 + 2]);
        }
    }

    [Fact]
    public void TrainsOnSeriesWithGapsAndCountsThem()
    {
        var a = Seasonal(150, 1);
        var b = Seasonal(120, 2);
        a[0] = a[1] = float.NaN;           // leading gap: before the series starts, left out and not counted
        a[40] = a[41] = a[42] = float.NaN; // inner gap
        b[^1] = float.NaN;                 // trailing gap: after the series ends, left out and not counted either
        b[60] = float.NaN;                 // inner gap
        var result = ForecastTrainer.Train([a, b], Small);
        Assert.Equal(4, result.MissingValues);
        Assert.All(result.TrainLosses, l => Assert.True(double.IsFinite(l)));
        var history = a[..100];
        history[^2] = float.NaN; // a forecast history may have gaps too
        var f = result.Model.Forecast([history, b])[0];
        Assert.All(f.Mean, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(3, f.Mean.Length);
    }

    [Fact]
    public void ChoosesWindowAndOrdersFromTheSeason()
    {
        var result = ForecastTrainer.Train([Seasonal(240, 3)], SmallWithHighway);
        var model = result.Model;
        Assert.Equal(12, model.SeasonLength);
        Assert.NotNull(model.Highway);
        Assert.True(model.Highway!.Relative);
        var orders = model.Highway.Orders;
        Assert.InRange(orders.Count, 1, 3);
        // 0.5 to 3 seasons of 12, and of its multiple 24 when the autocorrelation there is significant too.
        int[] grid = new[] { 12, 24 }.SelectMany(m => Enumerable.Range(2, 11).Select(k => (int)Math.Round(m * k / 4.0) + 1)).ToArray();
        Assert.All(orders, p => Assert.Contains(p, grid));
        Assert.Equal(orders.Max(), model.InputWindow);
        Assert.Equal(2, model.EnsembleSize);
        Assert.Equal(2 * Small.HiddenSize, model.Network.Config.HiddenSize);
        Assert.NotNull(model.Calibration);
        Assert.Equal(12, result.Metrics.SeasonLength);
        Assert.Contains("0.1-0.9", result.Metrics.IntervalCoverage.Keys);
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeightsAndForecasts()
    {
        var series = Seasonal(160, 4);
        var first = ForecastTrainer.Train([series], Small);
        var second = ForecastTrainer.Train([series], Small);
        AssertBitEqual(first.Model.Network.Parameters, second.Model.Network.Parameters, "weights");
        var f1 = first.Model.Forecast([series]); var f2 = second.Model.Forecast([series]);
        AssertBitEqual(f1[0].Mean, f2[0].Mean, "mean forecast");
        foreach (var q in first.Model.Quantiles) AssertBitEqual(f1[0].Quantiles[q], f2[0].Quantiles[q], $"quantile {q}");
        Assert.Equal(first.TrainLosses, second.TrainLosses);
        var other = ForecastTrainer.Train([series], Small with { Seed = 8 });
        Assert.NotEqual(first.Model.Network.Parameters, other.Model.Network.Parameters);
    }

    [Fact]
    public void QuantilesNeverCross()
    {
        // Calibration offsets that would put the 0.1 head far above the 0.9 head: the forecast still comes out ordered.
        const int w = 8, s = 4;
        float[] quantiles = [0.1f, 0.5f, 0.9f];
        var net = LstmNetwork.Create(new LstmConfig(1, 5, 1, s * 4), 3);
        var calibration = new float[3 * s];
        for (int t = 0; t < s; t++) { calibration[t] = 3f; calibration[2 * s + t] = -3f; }
        var model = new ForecastModel(net, w, s, quantiles, ScalingMode.WindowLevel, null, calibration);
        var rng = new SeededRandom(1);
        var histories = Enumerable.Range(0, 20).Select(_ => Random(rng, 12, -5, 5)).ToList();
        foreach (var f in model.Forecast(histories))
            for (int t = 0; t < s; t++)
            {
                Assert.True(f.Quantiles[0.1f][t] <= f.Quantiles[0.5f][t], "0.1 above 0.5");
                Assert.True(f.Quantiles[0.5f][t] <= f.Quantiles[0.9f][t], "0.5 above 0.9");
            }
        var trained = ForecastTrainer.Train([Seasonal(150, 5)], Small).Model;
        foreach (var f in trained.Forecast(histories.Select(h => h.Concat(Seasonal(30, 6)).ToArray()).ToList()))
            for (int t = 0; t < Small.Horizon; t++)
                Assert.True(f.Quantiles[0.1f][t] <= f.Quantiles[0.5f][t] && f.Quantiles[0.5f][t] <= f.Quantiles[0.9f][t]);
    }

    [Theory]
    [InlineData(-3f)] // every offset below the mean: the 0.9 quantile had come out below it
    [InlineData(3f)]
    public void TheOutermostQuantilesHoldTheMean(float offset)
    {
        const int w = 8, s = 4;
        float[] quantiles = [0.1f, 0.5f, 0.9f];
        var net = LstmNetwork.Create(new LstmConfig(1, 5, 1, s * 4), 3);
        var calibration = Enumerable.Repeat(offset, 3 * s).ToArray();
        var model = new ForecastModel(net, w, s, quantiles, ScalingMode.WindowLevel, null, calibration);
        var rng = new SeededRandom(2);
        var histories = Enumerable.Range(0, 20).Select(_ => Random(rng, 12, -5, 5)).ToList();
        var forecasts = model.Forecast(histories);
        for (int i = 0; i < histories.Count; i++)
            for (int t = 0; t < s; t++)
            {
                var f = forecasts[i];
                Assert.True(f.Quantiles[0.1f][t] <= f.Mean[t] && f.Mean[t] <= f.Quantiles[0.9f][t], $"mean {f.Mean[t]} outside [{f.Quantiles[0.1f][t]}, {f.Quantiles[0.9f][t]}]");
                // The side the offsets moved away from the mean is now the mean; the median is not moved to it.
                Assert.Equal(offset < 0 ? f.Quantiles[0.9f][t] : f.Quantiles[0.1f][t], f.Mean[t]);
                Assert.NotEqual(f.Mean[t], f.Quantiles[0.5f][t]);
            }
    }

    [Fact]
    public void SaveLoadRoundTripKeepsHighwayCalibrationAndEnsemble()
    {
        var series = Seasonal(160, 9);
        var model = ForecastTrainer.Train([series], SmallWithHighway).Model;
        var ms = new MemoryStream();
        model.Save(ms);
        ms.Position = 0;
        var loaded = ForecastModel.Load(ms);
        Assert.Equal(model.InputWindow, loaded.InputWindow);
        Assert.Equal(model.Horizon, loaded.Horizon);
        Assert.Equal(model.SeasonLength, loaded.SeasonLength);
        Assert.Equal(model.EnsembleSize, loaded.EnsembleSize);
        Assert.Equal(model.Highway!.Orders, loaded.Highway!.Orders);
        AssertBitEqual(model.Calibration!.ToArray(), loaded.Calibration!.ToArray(), "calibration");
        AssertBitEqual(model.Network.Parameters, loaded.Network.Parameters, "weights");
        var a = model.Forecast([series])[0]; var b = loaded.Forecast([series])[0];
        AssertBitEqual(a.Mean, b.Mean, "forecast after reload");
        AssertBitEqual(a.Quantiles[0.9f], b.Quantiles[0.9f], "0.9 quantile after reload");
    }

    [Fact]
    public void LoadsFilesWithoutTheNewSettings()
    {
        // A file as the first version of the library wrote it: only window, horizon, quantiles and scaling.
        var net = LstmNetwork.Create(new LstmConfig(1, 4, 1, 2 * 2), 5);
        var ms = new MemoryStream();
        ModelSerializer.Write(ms, net, new Dictionary<string, string>
        {
            ["forecast.inputWindow"] = "6", ["forecast.horizon"] = "2", ["forecast.quantiles"] = "0.5", ["forecast.scaling"] = "WindowLevel",
        });
        ms.Position = 0;
        var loaded = ForecastModel.Load(ms);
        Assert.Null(loaded.Highway);
        Assert.Null(loaded.Calibration);
        Assert.Equal(1, loaded.EnsembleSize);
        Assert.Equal(0, loaded.SeasonLength);
        var legacy = new ForecastModel(net, 6, 2, [0.5f], ScalingMode.WindowLevel);
        float[] history = [1, 2, 3, 4, 5, 6, 7];
        AssertBitEqual(legacy.Forecast([history])[0].Mean, loaded.Forecast([history])[0].Mean, "legacy forecast");
    }

    [Fact]
    public void StateDictExportCarriesTheWholeModel()
    {
        var series = Seasonal(150, 10);
        var model = ForecastTrainer.Train([series], SmallWithHighway).Model;
        var json = model.ToStateDictJson();
        using (var doc = System.Text.Json.JsonDocument.Parse(json))
        {
            var shape = doc.RootElement.GetProperty("highway.weight").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32());
            Assert.Equal([model.Horizon, model.InputWindow], shape);
            Assert.True(doc.RootElement.TryGetProperty("calibration", out _));
        }
        var imported = ForecastModel.FromStateDict(json, model.InputWindow, model.Horizon, model.Quantiles.ToArray());
        AssertBitEqual(model.Network.Parameters, imported.Network.Parameters, "exported weights");
        Assert.True(imported.Highway!.IsMap);
        var a = model.Forecast([series])[0]; var b = imported.Forecast([series])[0];
        AssertBitEqual(a.Mean, b.Mean, "forecast of the imported model");
        AssertBitEqual(a.Quantiles[0.1f], b.Quantiles[0.1f], "0.1 quantile of the imported model");
        // The imported model saves and loads like any other.
        var ms = new MemoryStream();
        imported.Save(ms);
        ms.Position = 0;
        AssertBitEqual(a.Mean, ForecastModel.Load(ms).Forecast([series])[0].Mean, "forecast after import, save and load");
        // A plain PyTorch export (no highway, no calibration) still imports.
        var plain = ForecastModel.FromStateDict(new ForecastModel(model.Network, model.InputWindow, model.Horizon, model.Quantiles.ToArray(), model.Scaling).ToStateDictJson(),
            model.InputWindow, model.Horizon, model.Quantiles.ToArray());
        Assert.Null(plain.Highway);
        Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(json, model.InputWindow + 1, model.Horizon, model.Quantiles.ToArray()));
        // Half a highway names the half that is missing (it had been filed under the document as a whole).
        foreach (var missing in new[] { "highway.bias", "highway.weight" })
        {
            var half = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
            half.Remove(missing);
            var e = Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(half.ToJsonString(), model.InputWindow, model.Horizon, model.Quantiles.ToArray()));
            Assert.Equal(missing, LstmService.Kernels.StateDictErrors.KeyOf(e));
            Assert.StartsWith($"State dict has no tensor '{missing}'", e.Message);
        }
    }

    [Fact]
    public void RejectsBadOptionsAndShortSeries()
    {
        var series = Seasonal(100, 11);
        Assert.Throws<ArgumentOutOfRangeException>(() => ForecastTrainer.Train([series], Small with { Ensemble = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ForecastTrainer.Train([series], Small with { InputWindow = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ForecastTrainer.Train([series], Small with { SeasonLength = -2 }));
        var e = Assert.Throws<ArgumentException>(() => ForecastTrainer.Train([series[..4]], Small));
        Assert.Equal("series[0].values", e.ParamName);
        Assert.StartsWith("Too short", e.Message);
        var gappy = Seasonal(60, 12);
        for (int i = 10; i < 50; i++) gappy[i] = float.NaN;
        Assert.Contains("Mostly missing", Assert.Throws<ArgumentException>(() => ForecastTrainer.Train([gappy], Small)).Message);
    }

    [Fact]
    public void RecursiveStrategyFeedsOneStepBack()
    {
        var series = Seasonal(160, 13);
        var options = Small with { Strategy = ForecastStrategy.Recursive, Horizon = 5 };
        var model = ForecastTrainer.Train([series], options).Model;
        Assert.Equal(ForecastStrategy.Recursive, model.Strategy);
        Assert.Equal(1, model.HeadSteps);
        Assert.Equal(1 + model.Quantiles.Count, model.Network.Config.OutputSize);
        var f = model.Forecast([series])[0];
        Assert.Equal(5, f.Mean.Length);
        for (int t = 0; t < 5; t++) Assert.True(f.Quantiles[0.1f][t] <= f.Quantiles[0.9f][t]);
        // The first step of a 1-step forecast is the first step of the full one.
        Assert.Equal(f.Mean[0], model.Forecast([series], 1)[0].Mean[0]);
        var ms = new MemoryStream();
        model.Save(ms);
        ms.Position = 0;
        var loaded = ForecastModel.Load(ms);
        Assert.Equal(ForecastStrategy.Recursive, loaded.Strategy);
        AssertBitEqual(f.Mean, loaded.Forecast([series])[0].Mean, "recursive forecast after reload");
        Assert.Throws<ArgumentException>(() => ForecastTrainer.Train([new TrainingSeries(series, new Dictionary<string, float[]> { ["x"] = series })], options));
    }

    [Fact]
    public void CovariatesKnownInAdvanceAreUsed()
    {
        // The target is driven by a covariate known in advance (a promotion calendar): only its future explains the next steps.
        var rng = new SeededRandom(31);
        const int n = 400, s = 3;
        var promo = Enumerable.Range(0, n + s).Select(_ => rng.NextFloat() < 0.3f ? 1f : 0f).ToArray();
        var values = Enumerable.Range(0, n + s).Select(t => (float)(20 + 8 * promo[t] + 0.3 * rng.NextGaussian())).ToArray();
        var options = new TrainingOptions
        {
            InputWindow = 6, Horizon = s, HiddenSize = 8, Epochs = 40, Patience = 40, Ensemble = 1, Seed = 3, FutureCovariates = ["promo"],
        };
        var train = new TrainingSeries(values[..n], new Dictionary<string, float[]> { ["promo"] = promo[..n] });
        var result = ForecastTrainer.Train([train], options);
        var model = result.Model;
        Assert.Equal(["promo"], model.Covariates);
        Assert.Equal(["promo"], model.FutureCovariates);
        Assert.Equal(3, model.Network.Config.InputSize); // target, promo, future flag
        var input = new ForecastInput(values[..n], new Dictionary<string, float[]> { ["promo"] = promo[..n] },
            new Dictionary<string, float[]> { ["promo"] = promo[n..] });
        var f = model.Forecast([input])[0];
        double rmse = Math.Sqrt(Enumerable.Range(0, s).Average(t => Math.Pow(f.Mean[t] - values[n + t], 2)));
        Assert.True(rmse < 2.0, $"RMSE {rmse:F2} with the promotion calendar known (effect 8)");
        Assert.True(result.Metrics.Model.Rmse < 0.5 * result.Metrics.Naive.Rmse,
            $"Backtest RMSE {result.Metrics.Model.Rmse:F2} vs naive {result.Metrics.Naive.Rmse:F2}");
        // Persisted with its covariates; a forecast without them is refused with the covariate named.
        var ms = new MemoryStream();
        model.Save(ms);
        ms.Position = 0;
        var loaded = ForecastModel.Load(ms);
        Assert.Equal(["promo"], loaded.FutureCovariates);
        AssertBitEqual(f.Mean, loaded.Forecast([input])[0].Mean, "covariate forecast after reload");
        Assert.Throws<ArgumentException>(() => model.Forecast([values[..n]]));
        var missingFuture = input with { FutureCovariates = null };
        Assert.Contains("promo", Assert.Throws<ArgumentException>(() => model.Forecast([missingFuture])).Message);
        Assert.Throws<ArgumentException>(() => ForecastTrainer.Train([train], options with { FutureCovariates = ["price"] }));
    }
}
