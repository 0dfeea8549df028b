using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>Odd but valid series train with the default recipe and forecast finite, ordered values.</summary>
public class EdgeSeriesTests
{
    static readonly TrainingOptions Small = new() { Horizon = 4, HiddenSize = 4, Epochs = 3, Patience = 2, Ensemble = 2, Seed = 1 };

    public static TheoryData<string, float[]> Series()
    {
        var rng = new SeededRandom(3);
        var gappy = Enumerable.Range(0, 80).Select(t => t % 7 == 3 ? float.NaN : 5f + (t % 12)).ToArray();
        return new()
        {
            { "constant", Enumerable.Repeat(7f, 60).ToArray() },
            { "zeros", new float[60] },
            { "shortest", Enumerable.Range(0, 6).Select(t => (float)t).ToArray() },
            { "straight line", Enumerable.Range(0, 50).Select(t => 3f * t - 40).ToArray() },
            { "exponential growth", Enumerable.Range(0, 90).Select(t => (float)Math.Exp(0.08 * t)).ToArray() },
            { "huge magnitude", Enumerable.Range(0, 60).Select(t => 1e30f * (1 + 0.1f * MathF.Sin(t))).ToArray() },
            { "tiny magnitude", Enumerable.Range(0, 60).Select(t => 1e-30f * (2 + MathF.Sin(t))).ToArray() },
            { "alternating", Enumerable.Range(0, 64).Select(t => t % 2 == 0 ? 1f : -1f).ToArray() },
            { "one spike", Enumerable.Range(0, 70).Select(t => t == 35 ? 1e6f : 1f).ToArray() },
            { "gaps", gappy },
            { "white noise", Enumerable.Range(0, 100).Select(_ => (float)rng.NextGaussian()).ToArray() },
        };
    }

    [Theory]
    [MemberData(nameof(Series))]
    public void TrainsAndForecastsFiniteOrderedValues(string name, float[] values)
    {
        var model = ForecastTrainer.Train([values], Small).Model;
        var forecast = model.Forecast([values])[0];
        Assert.True(forecast.Mean.All(float.IsFinite), $"{name}: mean [{string.Join(", ", forecast.Mean)}]");
        var lo = forecast.Quantiles[0.1f]; var mid = forecast.Quantiles[0.5f]; var hi = forecast.Quantiles[0.9f];
        for (int t = 0; t < 4; t++)
        {
            Assert.True(float.IsFinite(lo[t]) && float.IsFinite(hi[t]), $"{name}: step {t} quantiles {lo[t]}, {hi[t]}");
            Assert.True(lo[t] <= mid[t] && mid[t] <= hi[t], $"{name}: step {t} quantiles out of order");
        }
        // A client may send only the last inputWindow values: the classical members then start from that short history.
        var shortest = model.Forecast([values[^model.InputWindow..]])[0];
        Assert.True(shortest.Mean.All(float.IsFinite) && shortest.Quantiles.Values.All(q => q.All(float.IsFinite)), $"{name}: forecast from the last {model.InputWindow} values");
    }
}
