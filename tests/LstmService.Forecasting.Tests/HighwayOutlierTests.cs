using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>The highway's Huber reweighting: an outlying target no longer pulls the autoregression, a clean series keeps the plain fit.</summary>
public class HighwayOutlierTests
{
    /// <summary>An AR(2) y_t = 0.6 y_{t-1} - 0.3 y_{t-2} + e_t around 10 with uniform noise (no residual beyond Huber's threshold).</summary>
    static float[] Ar2(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var y = new float[length];
        double a = 0, b = 0;
        for (int t = 0; t < length; t++)
        {
            double v = 0.6 * a - 0.3 * b + rng.NextUniform(-1f, 1f);
            b = a; a = v;
            y[t] = (float)(10 + v);
        }
        return y;
    }

    static List<SeriesPart> Parts(float[] y)
    {
        var stats = SeriesMath.Statistics(y, ScalingMode.SeriesZScore);
        return [new SeriesPart(y, y, 0, y.Length, stats.Center, stats.Scale)];
    }

    [Fact]
    public void AnOutlyingTargetNoLongerPullsTheCoefficients()
    {
        var clean = Ar2(300, 4);
        var spiked = clean.ToArray();
        spiked[^1] += 60; // one glitch as the last value, about 100 noise deviations: a target no window reads as an input
        var truth = LinearHighway.FitOrders(Parts(clean), [2], relative: false)[0]!;
        var plain = LinearHighway.FitOrders(Parts(spiked), [2], relative: false)[0]!;
        var robust = LinearHighway.FitOrdersRobust(Parts(spiked), [2], relative: false)[0]!;
        // Coefficients: lag 2, lag 1, intercept (encoded units).
        double Distance(float[] c) => Math.Abs(c[0] - truth[0]) + Math.Abs(c[1] - truth[1]);
        Assert.True(Distance(plain) > 0.2, $"plain {Distance(plain)}");
        Assert.True(Distance(robust) < Distance(plain) / 3, $"robust {Distance(robust)} plain {Distance(plain)}");
        Assert.InRange(robust[1], 0.45, 0.75);
        Assert.InRange(robust[0], -0.45, -0.15);
    }

    [Fact]
    public void SeriesOfDifferentNoiseWithoutOutliersKeepThePlainFit()
    {
        // Each series is judged on its own scale: pooled, the noisy one's ordinary residuals (ten times the quiet one's)
        // would all look like outliers of the quiet one's.
        var quiet = Ar2(300, 6);
        var noisy = Ar2(300, 7).Select(v => 10 + (v - 10) * 10).ToArray();
        var parts = new List<SeriesPart>();
        foreach (var y in new[] { quiet, noisy })
        {
            var stats = SeriesMath.Statistics(y, ScalingMode.SeriesZScore);
            parts.Add(new SeriesPart(y, y, 0, y.Length, stats.Center, 0.01f));
        }
        var plain = LinearHighway.FitOrders(parts, [2, 4], relative: false);
        var robust = LinearHighway.FitOrdersRobust(parts, [2, 4], relative: false);
        for (int k = 0; k < 2; k++) Assert.Equal(plain[k], robust[k]);
    }

    [Fact]
    public void ASeriesWithBoundedNoiseKeepsThePlainFitBitForBit()
    {
        var y = Ar2(300, 5);
        var orders = new[] { 2, 5, 9 };
        foreach (var relative in new[] { false, true })
        {
            var plain = LinearHighway.FitOrders(Parts(y), orders, relative);
            var robust = LinearHighway.FitOrdersRobust(Parts(y), orders, relative);
            for (int k = 0; k < orders.Length; k++) Assert.Equal(plain[k], robust[k]);
        }
    }

    [Fact]
    public void ASpikeAsTheLastValueDoesNotMakeTheForecastExplode()
    {
        // Sixty values around 20 and a last one of 200 (a glitch, or a level shift: either way nothing beyond it is likely).
        float[] values = [19.998f, 18.069f, 21.749f, 20.199f, 19.123f, 20.98f, 20.309f, 20.018f, 21.048f, 22.261f, 20.554f, 21.585f, 22.157f, 18.979f, 19.477f, 20.776f, 18.292f, 19.733f, 21.293f, 21.043f, 20.579f, 18.105f, 22.351f, 20.551f, 20.767f, 20.495f, 18.284f, 18.565f, 18.783f, 21.918f, 19.169f, 19.758f, 19.745f, 20.571f, 20.501f, 20.268f, 18.738f, 16.861f, 20.166f, 20.268f, 21.231f, 19.897f, 19.389f, 20.41f, 18.446f, 18.958f, 18.994f, 20.288f, 22.091f, 20.763f, 21.142f, 20.238f, 20.279f, 19.551f, 19.719f, 17.57f, 18.797f, 18.713f, 20.837f, 200.0f];
        var model = ForecastTrainer.Train([values], new TrainingOptions { Horizon = 6, HiddenSize = 6, Ensemble = 2, Epochs = 4, Patience = 2, Seed = 3 }).Model;
        var forecast = model.Forecast([values])[0];
        Assert.All(forecast.Mean, v => Assert.InRange(v, 0f, 300f));
        foreach (var band in forecast.Quantiles.Values) Assert.All(band, v => Assert.InRange(v, -200f, 500f));
    }
}
