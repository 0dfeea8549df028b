using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// What the backtest's chunking relies on: a forecast of many inputs is, bit for bit, the forecasts of its chunks (so scoring
/// origins chunk by chunk, with bounded memory, gives the numbers of one call over all of them); and cancellation stops a forecast.
/// </summary>
public class LinearInputTests
{
    static readonly TrainingOptions Small = new() { Horizon = 4, HiddenSize = 4, Epochs = 2, Patience = 2, Ensemble = 2, Seed = 3 };

    static float[] Series(int n) => Enumerable.Range(0, n).Select(t => (float)(20 + 5 * Math.Sin(2 * Math.PI * t / 12) + 0.01 * t)).ToArray();

    [Fact]
    public void Forecasts_of_chunks_equal_one_forecast_of_all_inputs_bit_for_bit()
    {
        var values = Series(400);
        var model = ForecastTrainer.Train([values], Small).Model;
        // 600 prefixes (more than two network batches of ForecastModel.PredictChunk), as the backtest builds them.
        var inputs = Enumerable.Range(0, 600).Select(k => new ForecastInput(values[..(model.InputWindow + k % (values.Length - model.InputWindow))])).ToList();
        var all = model.Forecast(inputs);
        var chunked = new List<SeriesForecast>();
        for (int start = 0; start < inputs.Count; start += ForecastModel.PredictChunk)
            chunked.AddRange(model.Forecast(inputs.Skip(start).Take(ForecastModel.PredictChunk).ToList()));

        Assert.Equal(all.Count, chunked.Count);
        for (int i = 0; i < all.Count; i++)
        {
            Assert.Equal(all[i].Mean, chunked[i].Mean);
            foreach (var (level, band) in all[i].Quantiles) Assert.Equal(band, chunked[i].Quantiles[level]);
        }
    }

    [Fact]
    public void A_cancelled_forecast_stops()
    {
        var values = Series(200);
        var model = ForecastTrainer.Train([values], Small).Model;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => model.Forecast([new ForecastInput(values)], cancellationToken: cancelled.Token));
        Assert.Single(model.Forecast([new ForecastInput(values)]));
    }
}

/// <summary>The autoregression's forecasts along a series are, bit for bit, its forecasts from each prefix (levels and differences).</summary>
public class AutoregressionAlongTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Forecasts_along_the_series_equal_forecasts_from_each_prefix_exactly(bool differenced)
    {
        var rng = new Random(5);
        var y = Enumerable.Range(0, 500).Select(t => 30 + 4 * Math.Sin(t / 3.0) + rng.NextDouble()).ToArray();
        var ar = new Statistics.DifferencedAutoregression([1, 2, 12], [0.5, -0.2, 0.1], differenced);
        int[] origins = [13, 14, 100, 100, 257, 499, 60]; // increasing, a repeat, and one going back
        const int steps = 6, stride = 10, offset = 3;
        var along = new double[offset + origins.Length * stride];
        ar.ForecastsAlong(y, origins, steps, along, offset, stride);
        for (int r = 0; r < origins.Length; r++)
        {
            var direct = new double[steps];
            ar.Forecast(y.AsSpan(0, origins[r]), direct);
            Assert.Equal(direct, along.AsSpan(offset + r * stride, steps).ToArray());
        }
    }
}
