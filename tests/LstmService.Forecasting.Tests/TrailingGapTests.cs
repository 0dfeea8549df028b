using LstmService.Forecasting.Models;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;
using LstmService.TestSupport;

namespace LstmService.Forecasting.Tests;

/// <summary>A history that ends with missing values is forecast through them, not from its last value carried forward.</summary>
public class TrailingGapTests
{
    static readonly float[] Pattern = [10, 20, 30, 20];

    static float[] Quarterly(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => Pattern[t % 4] + (float)(0.3 * rng.NextGaussian())).ToArray();
    }

    static ForecastModel Train(int horizon, int window) => ForecastTrainer.Train([Quarterly(60, 3)], new TrainingOptions
    {
        Horizon = horizon, InputWindow = window, SeasonLength = 4, HiddenSize = 8, Epochs = 5, Ensemble = 1, Seed = 11,
    }).Model;

    [Theory]
    [InlineData(4, 8, 1)]  // the quarterly season's last value missing (a QA pass: forecast 12.3, 22.9, 33.8, 23.4)
    [InlineData(2, 12, 5)] // a gap longer than the horizon: filled a horizon at a time
    public void The_season_continues_over_a_trailing_gap(int horizon, int window, int missing)
    {
        var model = Train(horizon, window);
        var history = Quarterly(63, 4);
        history.AsSpan(history.Length - missing).Fill(float.NaN);
        var forecast = model.Forecast([history])[0];
        for (int t = 0; t < horizon; t++)
        {
            float expected = Pattern[(history.Length + t) % 4];
            Assert.InRange(forecast.Mean[t], expected - 2, expected + 2);
            Assert.InRange(expected, forecast.Quantiles[0.1f][t] - 2, forecast.Quantiles[0.9f][t] + 2);
        }
    }

    [Fact]
    public void A_stream_and_a_one_off_forecast_fill_the_gap_alike()
    {
        var model = Train(4, 8);
        var history = Quarterly(50, 5);
        history[^1] = history[^2] = float.NaN;
        var state = model.NewState();
        foreach (var v in history) model.Append(state, v);
        var streamed = model.Forecast(state);
        var oneOff = model.Forecast([history])[0];
        Assert.Equal(oneOff.Mean, streamed.Mean);
        Assert.Equal(oneOff.Quantiles[0.9f], streamed.Quantiles[0.9f]);
        // The state itself keeps its gap: the next observed value interpolates it, as before.
        Assert.Equal(2, state.Pending);
    }

    [Theory]
    [InlineData(9)]  // a QA pass: 40 values, the last 9 missing, window 32 (31 observed before the gap)
    [InlineData(16)] // half the window missing, the most a forecast accepts
    public void A_gap_after_fewer_values_than_a_window_is_forecast_through(int missing)
    {
        var model = Train(4, 32);
        var history = Quarterly(40, 6);
        history.AsSpan(history.Length - missing).Fill(float.NaN);
        var forecast = model.Forecast([history])[0];
        for (int t = 0; t < 4; t++)
        {
            float expected = Pattern[(history.Length + t) % 4];
            Assert.InRange(forecast.Mean[t], expected - 4, expected + 4);
        }
        var state = model.NewState();
        foreach (var v in history) model.Append(state, v);
        Assert.Equal(forecast.Mean, model.Forecast(state).Mean);
    }
}
