using LstmService.Forecasting.Models;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Streaming;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A gap of two or more values (of one or more in a model with a season), once a value closes it, is filled with the model's
/// forecasts from before it (the classical members' mix), not drawn straight to that value: a season goes on through it,
/// and the values that come back after an outage are forecast from at once, one at a time as well as together.
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
        // The gap holds forecasts from before it, which follow the season, where the straight line from the last value
        // before the gap to the one after it did not.
        var window = Model.WindowValues(Appended(history));
        for (int t = 60; t < 66; t++) Assert.InRange(window[t - 59], Pattern[t % 4] - 2, Pattern[t % 4] + 2);
        float last = history[59], next = history[66];
        Assert.Contains(Enumerable.Range(60, 6), t => Math.Abs(window[t - 59] - (last + (next - last) * (t - 59) / 7f)) > 5);
    }

    [Fact]
    public void A_single_missing_value_is_filled_where_the_model_has_a_season_and_drawn_straight_where_it_has_none()
    {
        // A clean weekly pattern with its peak missing once (a QA pass): the mean of its neighbours, (40 + 5) / 2, had been
        // read as the peak and the whole next week forecast up to 8.3 too low, where two missing were forecast exactly.
        float[] week = [10, 20, 30, 40, 50, 5, 5];
        var weekly = ForecastTrainer.Train([Enumerable.Range(0, 140).Select(t => week[t % 7]).ToArray()], new TrainingOptions { Horizon = 7, Seed = 3 }).Model;
        Assert.Equal(7, weekly.SeasonLength);
        var whole = Enumerable.Range(0, 28).Select(t => week[t % 7]).ToArray();
        var onePeakMissing = whole.ToArray();
        onePeakMissing[25] = float.NaN;
        var expected = weekly.Forecast([whole])[0].Mean;
        var forecast = weekly.Forecast([onePeakMissing])[0].Mean;
        for (int t = 0; t < 7; t++) Assert.InRange(forecast[t], expected[t] - 0.5f, expected[t] + 0.5f);
        var weeklyState = weekly.NewState();
        foreach (var v in onePeakMissing) weekly.Append(weeklyState, v);
        Assert.Equal(forecast, weekly.Forecast(weeklyState).Mean);
        Assert.DoesNotContain(weekly.WindowValues(weeklyState), float.IsNaN);

        // A model without a season keeps the mean of the neighbours, a random walk's best guess, shown missing in the window.
        var rng = new SeededRandom(4);
        float level = 100;
        var walk = Enumerable.Range(0, 120).Select(_ => level += (float)rng.NextGaussian()).ToArray();
        var walkModel = ForecastTrainer.Train([walk[..100]], new TrainingOptions { Horizon = 4, InputWindow = 8, SeasonLength = 1, HiddenSize = 8, Epochs = 5, Ensemble = 1, Seed = 11 }).Model;
        var single = walk.ToArray();
        single[115] = float.NaN;
        var walkState = walkModel.NewState();
        foreach (var v in single) walkModel.Append(walkState, v);
        Assert.True(float.IsNaN(walkModel.WindowValues(walkState)[^5]));
        Assert.Equal(walkModel.Forecast([single])[0].Mean, walkModel.Forecast(walkState).Mean);
        var drawn = walk.ToArray();
        drawn[115] = (walk[114] + walk[116]) / 2;
        Assert.Equal(walkModel.Forecast([drawn])[0].Mean, walkModel.Forecast(walkState).Mean);

        // A seasonal model without classical members keeps the mean too: its early fills would carry the last value.
        var networkOnly = ForecastTrainer.Train([Quarterly(60, 3)], new TrainingOptions
        {
            Horizon = 4, InputWindow = 8, SeasonLength = 4, HiddenSize = 8, Epochs = 5, Ensemble = 1, Seed = 11, Statistics = false,
        }).Model;
        Assert.Equal(2, networkOnly.ShortestFilledGap);
        Assert.Equal(1, Model.ShortestFilledGap);
        var networkState = networkOnly.NewState();
        foreach (var v in Gapped(1, 4)) networkOnly.Append(networkState, v);
        Assert.True(float.IsNaN(networkOnly.WindowValues(networkState)[3]));
    }

    [Fact]
    public void A_gap_is_filled_only_at_a_bounded_cost_and_a_gap_too_long_to_forecast_through_still_refused()
    {
        // Two are filled, within the members' first 1,000 values and once they have read their head (a forecast restarts them
        // from it: a fill costs a restart); between the two they are drawn straight.
        int head = StatisticalState.HeadLength(Model.Statistics!);
        Assert.InRange(head, ForecastModel.HeadFillLimit + 100, 20_000); // this model's smoothing is slow (α near 0): a long head
        Assert.DoesNotContain(Model.WindowValues(Appended(Gapped(2, 4))), float.IsNaN);
        var middle = Quarterly(ForecastModel.HeadFillLimit + 20, 8);
        middle[^6] = middle[^5] = float.NaN;
        Assert.Equal(2, Model.WindowValues(Appended(middle)).Count(float.IsNaN));
        // Drawn straight there, a gap that leaves the window mostly missing is refused, by the history's check as by the
        // stream's (a stream's window holds the last few dozen values, and counting from its start had read it as filled).
        var refused = Quarterly(ForecastModel.HeadFillLimit + 100, 8);
        refused.AsSpan(refused.Length - 8, 7).Fill(float.NaN);
        Assert.StartsWith("Mostly missing: 7 of the 8", Model.TrailingGapProblem(refused, 0, true));
        Assert.StartsWith("Mostly missing: 7 of the 8", Model.ForecastProblem(Appended(refused)));
        var late = Quarterly(head + 20, 8);
        late[^6] = late[^5] = float.NaN;
        Assert.DoesNotContain(Model.WindowValues(Appended(late)), float.IsNaN);
        Assert.Equal(Model.Forecast([late])[0].Mean, Model.Forecast(Appended(late)).Mean);

        // Longer than the model forecasts through (16): nothing fills it, and one value after it is no window.
        var longGap = Gapped(17, 1);
        var refusal = Assert.Throws<ArgumentException>(() => Model.Forecast([longGap])).Message;
        Assert.Contains("Mostly missing: 7 of the 8", refusal);
        // Saying why (a QA pass): the gap is longer than the model fills, and how many values after it would do.
        Assert.Contains("The 17 missing values before the last 1 are more than the 16 this model fills: give at least half an inputWindow (4) of values after them.", refusal);
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

    [Theory]
    [InlineData(25)]
    [InlineData(30)]
    [InlineData(48)]
    public void A_gap_longer_than_the_state_keeps_is_drawn_straight_without_failing(int gap)
    {
        // Longer than the 16 forecast through, and than the values a state keeps (24 to 47): the first version had read
        // before the state's window and thrown, failing the forecast and every later append of the stream (a review).
        var history = Gapped(gap, 20);
        var forecast = Model.Forecast([history])[0];
        Assert.Equal(forecast.Mean, Model.Forecast(Appended(history)).Mean);
    }

    [Fact]
    public void A_one_off_forecast_and_a_stream_agree_on_every_gap_pattern()
    {
        // Random gaps, short and long, leading ones too: the history's check (values as given) and the stream's (its own
        // window, the filled gaps in it) refuse the same histories, and forecast the others alike.
        var rng = new Random(7);
        int accepted = 0;
        for (int iteration = 0; iteration < 400; iteration++)
        {
            int n = 40 + rng.Next(80);
            var history = Quarterly(n, (ulong)iteration + 100);
            for (int g = rng.Next(1, 25); g > 0; g--)
            {
                int length = rng.Next(4) == 0 ? rng.Next(5, 30) : rng.Next(1, 4), at = rng.Next(n);
                history.AsSpan(at, Math.Min(length, n - at)).Fill(float.NaN);
            }
            if (rng.Next(3) == 0) history.AsSpan(0, rng.Next(1, 12)).Fill(float.NaN);
            int observed = history.Length;
            while (observed > 0 && float.IsNaN(history[observed - 1])) observed--;
            var given = Model.TrailingGapProblem(history, history.Length - observed, observed > 0);
            var state = Appended(history);
            var streamed = Model.ForecastProblem(state);
            if (streamed?.StartsWith("The series has", StringComparison.Ordinal) == true) continue;
            Assert.Equal(given?.Split(':')[0], streamed?.Split(':')[0]);
            if (given is not null) continue;
            accepted++;
            Assert.Equal(Model.Forecast([history])[0].Mean, Model.Forecast(state).Mean);
        }
        Assert.InRange(accepted, 100, 400);
    }

    [Fact]
    public void A_state_exported_with_one_window_before_a_longer_gap_is_still_read()
    {
        // States exported before the window kept the longest gap held one input window: a trailing gap of 10 leaves none of it.
        var history = Quarterly(70, 5);
        history.AsSpan(60).Fill(float.NaN);
        var state = Appended(history);
        state.Window = state.Window.Skip(state.Window.Count - 8).ToList();
        Assert.StartsWith("Mostly missing: 8 of the 8", Model.ForecastProblem(state));
        Model.Append(state, 20);
        Assert.Equal(71, state.Length);
    }

    [Fact]
    public void A_glitch_before_a_gap_is_not_filled_from()
    {
        // 5000 where the season is 10 to 30, then 5 missing: the value before the gap is judged against the one after it,
        // as against any next value; filled from as given, the gap had been 4628, 3036, ... (a review).
        var history = Gapped(5, 3);
        history[59] = 5000;
        var window = Model.WindowValues(Appended(history));
        Assert.All(window[..5], v => Assert.InRange(v, 0, 60));
    }
}
