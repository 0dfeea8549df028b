using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>The default recipe: the network mixed with the classical members, the log transform, calibration and clamping.</summary>
public class StatisticsMixTests
{
    static readonly TrainingOptions Small = new() { Horizon = 4, HiddenSize = 6, Epochs = 4, Patience = 2, BatchSize = 16, Ensemble = 2, Seed = 3 };

    /// <summary>A fixed season of 12 with Gaussian noise of standard deviation <paramref name="sigma"/> around a constant level.</summary>
    static float[] SeasonalNoise(int length, double sigma, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => (float)(100 + 10 * Math.Sin(2 * Math.PI * t / 12) + sigma * rng.NextGaussian())).ToArray();
    }

    [Fact]
    public void IntervalsCoverAsCalibratedOnDataWithKnownQuantiles()
    {
        // With a fixed season and independent noise the best forecast misses by the noise alone, whose 0.1 and 0.9 quantiles
        // are ±1.2816 σ: the calibrated interval must cover about 80% of a long continuation and be about that wide.
        const double sigma = 2;
        var series = SeasonalNoise(1400, sigma, 17);
        var model = ForecastTrainer.Train([series[..400]], Small with { Transform = SeriesTransform.None }).Model;
        var histories = Enumerable.Range(400, 1000 - 4).Where(o => o % 3 == 0).Select(o => series[..o]).ToList();
        var forecasts = model.Forecast(histories);
        int inside = 0, total = 0;
        double width = 0;
        for (int k = 0; k < histories.Count; k++)
            for (int t = 0; t < 4; t++)
            {
                float actual = series[histories[k].Length + t], lo = forecasts[k].Quantiles[0.1f][t], hi = forecasts[k].Quantiles[0.9f][t];
                inside += actual >= lo && actual <= hi ? 1 : 0;
                width += hi - lo;
                total++;
            }
        double coverage = (double)inside / total;
        Assert.InRange(coverage, 0.72, 0.88);
        Assert.InRange(width / total / (2 * 1.2816 * sigma), 0.8, 1.3);
    }

    [Fact]
    public void IntervalsAreNeverNarrowerThanTheValidationPartShows()
    {
        // Quiet for 400 values, four times noisier over the last 100 (the validation part): the interval must be about as wide
        // as the noisy part's own ±1.2816 x 4σ, not the pooled residuals' narrower width dominated by the quiet years.
        const double sigma = 1;
        var quiet = SeasonalNoise(400, sigma, 5);
        var loud = SeasonalNoise(500, 4 * sigma, 6)[400..];
        var series = quiet.Concat(loud).ToArray();
        var model = ForecastTrainer.Train([series], Small with { Transform = SeriesTransform.None, Refit = false }).Model;
        var forecast = model.Forecast([series])[0];
        double width = Enumerable.Range(0, 4).Average(t => forecast.Quantiles[0.9f][t] - forecast.Quantiles[0.1f][t]);
        Assert.True(width >= 0.8 * 2 * 1.2816 * 4 * sigma, $"0.1-0.9 width {width:F2} is narrower than the validation part's noise allows.");
    }

    [Fact]
    public void MixingWeightsArePositiveAndSumToOne()
    {
        var model = ForecastTrainer.Train([SeasonalNoise(200, 1, 2)], Small).Model;
        var statistics = Assert.IsType<StatisticalEnsemble>(model.Statistics);
        Assert.Equal(1f, statistics.Weights.Sum(), 3);
        Assert.All(statistics.Weights, w => Assert.True(w > 0));
        Assert.Equal(12, statistics.Smoothing.Season);
        Assert.True(model.CorrectsStatistics);
        // The highway is a member of the mix (the fifth weight), not part of the network's output.
        Assert.True(model.HighwayIsMember);
        Assert.Equal(StatisticalEnsemble.MemberCount + 2, statistics.Weights.Count);
    }

    [Fact]
    public void MultiplicativeSeasonGetsTheLogTransformAndAdditiveNoiseDoesNot()
    {
        var rng = new SeededRandom(4);
        var growing = Enumerable.Range(0, 144).Select(t => (float)(Math.Exp(0.02 * t) * 100 * (1 + 0.3 * Math.Sin(2 * Math.PI * t / 12)) * Math.Exp(0.02 * rng.NextGaussian()))).ToArray();
        Assert.Equal(SeriesTransform.Log, ForecastTrainer.Train([growing], Small).Model.Transform);
        var shifted = SeasonalNoise(144, 1, 5).Select(v => v - 100).ToArray(); // crosses zero: no log
        Assert.Equal(SeriesTransform.None, ForecastTrainer.Train([shifted], Small).Model.Transform);
    }

    [Fact]
    public void NonNegativeSeriesGetNonNegativeForecastsUnlessTurnedOff()
    {
        // Counts that are zero half of the time: an additive interval around a small mean reaches below zero.
        var rng = new SeededRandom(8);
        var counts = Enumerable.Range(0, 160).Select(_ => rng.NextUniform(0, 1) < 0.5f ? 0f : (float)Math.Round(-3 * Math.Log(1 - rng.NextUniform(0, 0.999f)))).ToArray();
        var clamped = ForecastTrainer.Train([counts], Small).Model;
        Assert.True(clamped.NonNegative);
        var forecast = clamped.Forecast([counts])[0];
        Assert.All(forecast.Mean, v => Assert.True(v >= 0));
        Assert.All(forecast.Quantiles.Values.SelectMany(q => q), v => Assert.True(v >= 0));

        var free = ForecastTrainer.Train([counts], Small with { NonNegative = false }).Model;
        Assert.False(free.NonNegative);
        Assert.Contains(free.Forecast([counts])[0].Quantiles[0.1f], v => v < 0);
    }

    [Fact]
    public void OutputOfANonNegativeModelKeepsNonFiniteValuesNonFinite()
    {
        // The clamp at zero is for finite values below it: an overflow must stay visible to the caller's finite check.
        var model = new ForecastModel(LstmNetwork.Create(new LstmConfig(1, 4, 1, 2), 5), 8, 2, [], ScalingMode.WindowLevel, highway: null, nonNegative: true);
        Assert.Equal(0f, model.Output(-5f, 0, clampAtZero: true));
        Assert.Equal(-5f, model.Output(-5f, 0, clampAtZero: false));
        Assert.Equal(float.NegativeInfinity, model.Output(float.NegativeInfinity, 0, clampAtZero: true));
        Assert.True(float.IsNaN(model.Output(float.NaN, 0, clampAtZero: true)));
        Assert.Equal(float.PositiveInfinity, model.Output(float.PositiveInfinity, 0, clampAtZero: true));
    }

    [Fact]
    public void ANonNegativeModelLeavesTheForecastOfANegativeHistoryUnclamped()
    {
        // Trained on values about 100, given the same season about -100: zeros would be no forecast of it, and a caller
        // could not tell them from one. A history of the model's own domain is still clamped.
        var series = SeasonalNoise(160, 1, 21);
        var model = ForecastTrainer.Train([series], Small with { Transform = SeriesTransform.None }).Model;
        Assert.True(model.NonNegative);
        var below = series.Select(v => v - 200).ToArray();
        var forecasts = model.Forecast([series, below]);
        Assert.True(forecasts[0].ClampedAtZero);
        Assert.False(forecasts[1].ClampedAtZero);
        Assert.All(forecasts[1].Mean, v => Assert.InRange(v, -115f, -85f));
        Assert.All(forecasts[1].Quantiles[0.1f], v => Assert.True(v < -80f));
        // One negative value inside the window is enough; the same history without it is clamped again.
        var dipped = (float[])series.Clone();
        dipped[^3] = -1;
        Assert.False(model.Forecast([dipped])[0].ClampedAtZero);
        Assert.True(model.Forecast([series[..^1]])[0].ClampedAtZero);
        // A computed zero a rounding error below zero is no negative value.
        dipped[^3] = -2e-16f;
        Assert.True(model.Forecast([dipped])[0].ClampedAtZero);

        // Asked for, the clamp holds for every history, and stays asked for through both stored formats.
        var declared = ForecastTrainer.Train([series], Small with { Transform = SeriesTransform.None, NonNegative = true }).Model;
        Assert.True(declared.NonNegativeDeclared);
        Assert.False(model.NonNegativeDeclared);
        var ms = new MemoryStream();
        declared.Save(ms);
        ms.Position = 0;
        foreach (var stored in new[] { declared, ForecastModel.Load(ms), ForecastModel.FromStateDict(declared.ToStateDictJson()) })
        {
            Assert.True(stored.NonNegativeDeclared);
            var clamped = stored.Forecast([below])[0];
            Assert.True(clamped.ClampedAtZero);
            Assert.All(clamped.Mean, v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void TheBacktestOfAClampAskedForScoresTheClampedForecasts()
    {
        // Values about -100 with nonNegative asked for: the served version forecasts zeros, so its backtest must score zeros
        // (an error of about 100), not the unclamped forecasts a clamp chosen from the data would leave (about the noise).
        var below = SeasonalNoise(160, 1, 21).Select(v => v - 200).ToArray();
        var free = ForecastTrainer.Train([below], Small with { Transform = SeriesTransform.None }).Metrics.Model;
        var declared = ForecastTrainer.Train([below], Small with { Transform = SeriesTransform.None, NonNegative = true }).Metrics.Model;
        Assert.InRange(free.Mae, 0, 10);
        Assert.InRange(declared.Mae, 85, 115);
        Assert.Equal(free.Points, declared.Points);
    }

    [Fact]
    public void AForecastThatOverflowsToMinusInfinityIsNotClampedToZero()
    {
        // An autoregression coefficient of 1e38 sends the member's forecast of a falling-then-rising history to -Infinity, which
        // the non-negative clamp had turned into a plausible 0.
        var series = SeasonalNoise(150, 1, 12);
        var model = ForecastTrainer.Train([series], Small with { InputWindow = 12 }).Model;
        Assert.True(model.NonNegative);
        var doc = System.Text.Json.Nodes.JsonNode.Parse(model.ToStateDictJson())!;
        doc[ForecastModel.StateForecastKey]!["statistics"]!["autoregression"]!["coefficients"]![0] = 1e38;
        var overflowing = ForecastModel.FromStateDict(doc.ToJsonString());
        var mean = overflowing.Forecast([[50, 55, 60, 62, 60, 55, 50, 45, 40, 38, 40, 45]])[0].Mean;
        Assert.Contains(float.NegativeInfinity, mean);
    }

    [Fact]
    public void TheMixedModelRoundTripsBitForBitThroughBothFormats()
    {
        var series = SeasonalNoise(180, 1, 6).Select((v, t) => v + 0.05f * t).ToArray();
        var model = ForecastTrainer.Train([series], Small).Model;
        var expected = model.Forecast([series])[0];
        var ms = new MemoryStream();
        model.Save(ms);
        ms.Position = 0;
        var loaded = ForecastModel.Load(ms);
        var imported = ForecastModel.FromStateDict(model.ToStateDictJson());
        foreach (var copy in new[] { loaded, imported })
        {
            Assert.Equal(model.Transform, copy.Transform);
            Assert.Equal(model.NonNegative, copy.NonNegative);
            Assert.Equal(model.CorrectsStatistics, copy.CorrectsStatistics);
            Assert.Equal(model.CorrectionScale, copy.CorrectionScale);
            var actual = copy.Forecast([series])[0];
            TestUtil.AssertBitEqual(expected.Mean, actual.Mean, "mean after the round trip");
            TestUtil.AssertBitEqual(expected.Quantiles[0.9f], actual.Quantiles[0.9f], "0.9 quantile after the round trip");
        }
    }

    [Fact]
    public void SilencingTheNetworkLeavesTheClassicalMix()
    {
        var series = SeasonalNoise(200, 1, 9);
        var model = ForecastTrainer.Train([series], Small with { Highway = false }).Model; // the classical members only
        var silent = model.WithSilentNetwork();
        Assert.All(silent.Network.Parameters, p => Assert.Equal(0f, p));
        // With a zero correction the network member forecasts the members' mean, so the mix is a convex combination of them.
        var members = new double[3 * 4];
        model.Statistics!.Forecast(Array.ConvertAll(series, v => (double)v), 4, members);
        var mean = silent.Forecast([series])[0].Mean;
        for (int t = 0; t < 4; t++)
        {
            double lo = Math.Min(members[t], Math.Min(members[4 + t], members[8 + t])), hi = Math.Max(members[t], Math.Max(members[4 + t], members[8 + t]));
            Assert.InRange(mean[t], lo - 1e-3, hi + 1e-3);
        }
    }

    [Fact]
    public void ShortSeriesSilenceTheNetworksCorrectionAndLongOnesKeepIt()
    {
        var shortSeries = SeasonalNoise(150, 1, 12);
        var shortModel = ForecastTrainer.Train([shortSeries], Small).Model;
        Assert.Equal(0f, shortModel.CorrectionScale);
        Assert.Contains(shortModel.Network.Parameters, p => p != 0); // trained and kept, only not applied
        TestUtil.AssertBitEqual(shortModel.WithSilentNetwork().Forecast([shortSeries])[0].Mean, shortModel.Forecast([shortSeries])[0].Mean, "silenced forecast");

        var longSeries = SeasonalNoise(ForecastTrainer.MinimumNetworkWindows * 2, 1, 12);
        Assert.Equal(1f, ForecastTrainer.Train([longSeries], Small).Model.CorrectionScale);
    }

    [Fact]
    public void ASilencedNetworksIntervalsAreCalibratedEvenWithCalibrationOff()
    {
        // The silenced network is not run, so its quantile heads cannot widen anything: without calibration every quantile
        // would be the mean. A long series keeps its network and with it the heads' own intervals.
        var series = SeasonalNoise(150, 1, 12);
        var model = ForecastTrainer.Train([series], Small with { Calibrate = false }).Model;
        Assert.Equal(0f, model.CorrectionScale);
        var forecast = model.Forecast([series])[0];
        var low = forecast.Quantiles[0.1f];
        var high = forecast.Quantiles[0.9f];
        for (int t = 0; t < 4; t++) Assert.True(high[t] - low[t] > 0.5f, $"step {t}: {low[t]} .. {high[t]}");

        var longSeries = SeasonalNoise(ForecastTrainer.MinimumNetworkWindows * 2, 1, 12);
        var live = ForecastTrainer.Train([longSeries], Small with { Calibrate = false }).Model;
        Assert.Equal(1f, live.CorrectionScale);
        Assert.Null(live.Calibration);
    }

    [Fact]
    public void LongSeriesStackTheirWeightsAndTheModelStillRoundTrips()
    {
        // Where the correction is on, the weights are the validation part's least-squares convex combination: on a fixed season
        // with noise the members and the network forecast almost alike, and stacking leaves some of them out entirely, which
        // inverse errors (every member within twice the best) would not. Zero weights must survive both formats.
        var series = SeasonalNoise(ForecastTrainer.MinimumNetworkWindows * 2, 1, 12);
        var model = ForecastTrainer.Train([series], Small).Model;
        var weights = model.Statistics!.Weights;
        Assert.Equal(1f, model.CorrectionScale);
        Assert.Equal(1f, weights.Sum(), 4);
        Assert.All(weights, w => Assert.True(w >= 0));
        Assert.Contains(0f, weights);
        var withoutNetwork = ForecastTrainer.Train([series], Small with { WithoutNetwork = true }).Model;
        Assert.Equal(0f, withoutNetwork.CorrectionScale);
        Assert.All(withoutNetwork.Statistics!.Weights, w => Assert.True(w > 0)); // inverse errors: all of them in

        var expected = model.Forecast([series])[0];
        var ms = new MemoryStream();
        model.Save(ms);
        ms.Position = 0;
        foreach (var copy in new[] { ForecastModel.Load(ms), ForecastModel.FromStateDict(model.ToStateDictJson()) })
        {
            Assert.Equal(weights, copy.Statistics!.Weights);
            TestUtil.AssertBitEqual(expected.Mean, copy.Forecast([series])[0].Mean, "mean after the round trip");
        }
    }
}
