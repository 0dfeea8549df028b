using LstmService.Forecasting.Models;
using LstmService.Forecasting.Streaming;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A gap of two or more values, once a value closes it, is filled with the model's forecasts from before it (the values a
/// forecast through it used), not drawn straight to that value: a season goes on through it, and the values that come back
/// after an outage are forecast from at once, one at a time as well as together.
/// </summary>
public class ClosedGapTests
{
    static readonly float[] Pattern = TrailingGapTests.Pattern;

    static float[] Quarterly(int length, ulong seed) => TrailingGapTests.Quarterly(length, seed);

    // Window 8, horizon 4: the longest trailing gap forecast through is 16.
    static readonly ForecastModel Model = ForecastTrainer.Train([Quarterly(60, 3)], new TrainingOptions
    {
        Horizon = 4, InputWindow = 8, SeasonLength = 4, HiddenSize = 8, Epochs = 5, Ensemble = 1, Seed = 11,
    }).Model;

    static float[] Gapped(int gap, int after)
    {
        var values = Quarterly(60 + gap + after, 5);
        values.AsSpan(60, gap).Fill(float.NaN);
        return values;
    }

    static SeriesState Appended(float[] history)
    {
        var state = Model.NewState();
        foreach (var v in history) Model.Append(state, v);
        return state;
    }

    [Fact]
    public void One_value_after_a_long_gap_is_forecast_from()
    {
        // 6 missing then one value: the window up to it held 7 missing of 8, and had been refused as mostly missing.
        var history = Gapped(6, 1);
        var forecast = Assert.Single(Model.Forecast([history]));
        for (int t = 0; t < 4; t++)
            Assert.InRange(forecast.Mean[t], Pattern[(history.Length + t) % 4] - 2, Pattern[(history.Length + t) % 4] + 2);
        // A stream that received the values one at a time forecasts the same, bit for bit, and so does a state built at once.
        Assert.Equal(forecast.Mean, Model.Forecast(Appended(history)).Mean);
        Assert.Equal(forecast.Quantiles[0.9f], Model.Forecast(Model.NewState(history)).Quantiles[0.9f]);
        // The gap holds the forecasts made through it: the first horizon's are those of the history before the gap.
        var before = Model.Forecast([history[..60]])[0].Mean;
        var window = Model.WindowValues(Appended(history));
        for (int t = 0; t < 4; t++) Assert.Equal(before[t], window[1 + t], 3);
        // They follow the season, where the straight line from the last value before the gap to the one after it did not.
        for (int t = 60; t < 66; t++) Assert.InRange(window[t - 59], Pattern[t % 4] - 2, Pattern[t % 4] + 2);
    }

    [Fact]
    public void A_single_missing_value_is_still_drawn_straight_and_a_gap_too_long_to_forecast_through_still_refused()
    {
        // One missing value is the mean of its neighbours, as before, and shown missing in the window.
        var single = Gapped(1, 4);
        var state = Appended(single);
        Assert.True(float.IsNaN(Model.WindowValues(state)[3]));
        Assert.Equal(Model.Forecast([single])[0].Mean, Model.Forecast(state).Mean);
        // Two are filled.
        Assert.DoesNotContain(Model.WindowValues(Appended(Gapped(2, 4))), float.IsNaN);

        // Longer than the model forecasts through (16): nothing fills it, and one value after it is no window.
        var longGap = Gapped(17, 1);
        Assert.Contains("Mostly missing: 7 of the 8", Assert.Throws<ArgumentException>(() => Model.Forecast([longGap])).Message);
        Assert.StartsWith("Mostly missing: 7 of the 8", Model.ForecastProblem(Appended(longGap)));
        // Up to the limit it is filled.
        Assert.Single(Model.Forecast([Gapped(16, 1)]));
    }

    [Fact]
    public void A_gap_is_filled_only_after_a_window_the_model_can_read()
    {
        // Two long gaps with three values between them: the first is filled (the window before it is whole), so the window
        // before the second reads as whole too, and the second is filled in turn.
        var values = Quarterly(80, 6);
        values.AsSpan(60, 6).Fill(float.NaN);
        values.AsSpan(69, 6).Fill(float.NaN);
        var history = values[..76];
        Assert.Equal(Model.Forecast([history])[0].Mean, Model.Forecast(Appended(history)).Mean);
        Assert.DoesNotContain(Model.WindowValues(Appended(history)), float.IsNaN);

        // A gap after a window mostly missing (values before the first one count as missing) is not filled: refused.
        float[] early = [20, 30, 20, .. Enumerable.Repeat(float.NaN, 6), 10];
        Assert.StartsWith("Mostly missing", Model.ForecastProblem(Appended(early)));
    }
}
