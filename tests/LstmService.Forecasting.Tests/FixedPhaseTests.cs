using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.TestSupport;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A phase of the season that was 0 in every recent period (a shop closed on weekends) is forecast 0, quantiles too; zeros
/// common at the other phases (an intermittent series') or on every phase (weeks closed) are not.
/// </summary>
public class FixedPhaseTests
{
    /// <summary>Daily sales about 400 (noise 60, whole numbers), 0 on every Saturday and Sunday.</summary>
    static float[] ClosedWeekends(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => t % 7 is 5 or 6 ? 0f : MathF.Max(0, MathF.Round(400 + 60 * (float)rng.NextGaussian()))).ToArray();
    }

    static ForecastModel Train(float[] series, int horizon) =>
        ForecastTrainer.Train([series], new TrainingOptions { Horizon = horizon, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42, InputWindow = 22 }).Model;

    [Fact]
    public void Closed_days_are_forecast_closed()
    {
        var series = ClosedWeekends(182, 2);
        var model = Train(series, 14);
        Assert.Equal(7, model.SeasonLength);
        var forecast = model.Forecast([series])[0];
        for (int t = 0; t < 14; t++)
        {
            bool closed = (series.Length + t) % 7 is 5 or 6;
            if (closed)
            {
                Assert.Equal(0f, forecast.Mean[t]);
                Assert.All(forecast.Quantiles.Values, band => Assert.Equal(0f, band[t]));
            }
            else Assert.InRange(forecast.Mean[t], 250f, 550f);
        }
        // A stream fed the same values forecasts the same bits.
        var stream = model.NewState(series[..100]);
        foreach (var v in series[100..]) model.Append(stream, v);
        Assert.Equal(forecast.Mean, model.Forecast(stream).Mean);
        Assert.Equal(forecast.Quantiles[0.9f], model.Forecast(stream).Quantiles[0.9f]);
    }

    [Fact]
    public void A_closed_day_that_opened_is_forecast_again()
    {
        // The last Sunday was open: that phase no longer held one value in every recent period.
        var series = ClosedWeekends(182, 2);
        var model = Train(series, 14);
        var opened = (float[])series.Clone();
        int lastSunday = Enumerable.Range(0, opened.Length).Last(t => t % 7 == 6);
        opened[lastSunday] = 380;
        var forecast = model.Forecast([opened])[0];
        int sunday = Enumerable.Range(0, 7).First(t => (opened.Length + t) % 7 == 6);
        int saturday = Enumerable.Range(0, 7).First(t => (opened.Length + t) % 7 == 5);
        Assert.True(forecast.Quantiles[0.9f][sunday] > 0, "Sunday was still forecast closed");
        Assert.Equal(0f, forecast.Quantiles[0.9f][saturday]);
    }

    [Fact]
    public void Zeros_common_at_every_phase_fix_none()
    {
        // Intermittent: about 70% zeros on every day, so a weekday's three zeros in a row are no closed day.
        var rng = new SeededRandom(7);
        var intermittent = Enumerable.Range(0, 182).Select(t => rng.NextFloat() < 0.7 ? 0f : MathF.Round(5 + 3 * (float)rng.NextFloat()) + (t % 7 == 0 ? 4 : 0)).ToArray();
        var model = Train(ClosedWeekends(182, 2), 14);
        var state = model.NewState(intermittent);
        Assert.Null(model.FixedSteps(state, model.Horizon));
        // Nor weeks closed: every phase was 0 (as the members read it, a flat stretch).
        var closed = ClosedWeekends(182, 2);
        for (int t = 140; t < closed.Length; t++) closed[t] = 0;
        Assert.Null(model.FixedSteps(model.NewState(closed), model.Horizon));
        // Nor a phase that held one value other than 0.
        var level = ClosedWeekends(182, 2).Select((v, t) => t % 7 == 5 ? 100f : v).ToArray();
        var steps = model.FixedSteps(model.NewState(level), model.Horizon);
        Assert.True(steps is null || steps.All(v => float.IsNaN(v) || v == 0), "a phase of 100 was fixed");
    }

    [Fact]
    public void Fewer_than_two_periods_in_the_window_fix_none()
    {
        var series = ClosedWeekends(182, 2);
        var model = ForecastTrainer.Train([series], new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42, InputWindow = 10 }).Model;
        Assert.Null(model.FixedSteps(model.NewState(series), model.Horizon));
        var forecast = model.Forecast([series])[0];
        Assert.All(Enumerable.Range(0, 7).Where(t => (series.Length + t) % 7 is 5 or 6), t => Assert.True(forecast.Quantiles[0.9f][t] > 0));
    }

    [Fact]
    public void A_missing_last_closed_day_is_filled_closed()
    {
        var series = ClosedWeekends(182, 2);
        var model = Train(series, 14);
        // The history ends on a Sunday whose value is missing: the gap is filled closed, and the next weekend is closed.
        int end = Enumerable.Range(100, 82).Last(t => t % 7 == 6) + 1;
        var history = series[..end];
        history[^1] = float.NaN;
        var forecast = model.Forecast([history])[0];
        for (int t = 0; t < 14; t++)
            if ((end + t) % 7 is 5 or 6) Assert.Equal(0f, forecast.Quantiles[0.9f][t]);
    }

    [Fact]
    public void Zeros_on_a_fifth_of_every_day_close_no_day()
    {
        // Two zeros in a row on some weekday are likely where a fifth of all days are zero (a window of two weeks): the
        // chance rule keeps them open. Measured: 6 of 200 histories with a day fixed; 16 at a bound of 0.1 phases, 59 without
        // the rule.
        var model = ForecastTrainer.Train([ClosedWeekends(182, 2)], new TrainingOptions { Horizon = 14, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42, InputWindow = 14 }).Model;
        int fixedDays = Enumerable.Range(0, 200).Count(seed =>
        {
            var rng = new SeededRandom((ulong)(seed + 300));
            var history = Enumerable.Range(0, 60).Select(_ => rng.NextFloat() < 0.2f ? 0f : MathF.Round(400 + 60 * (float)rng.NextGaussian())).ToArray();
            return model.FixedSteps(model.NewState(history), model.Horizon) is not null;
        });
        Assert.True(fixedDays <= 10, $"{fixedDays} of 200 histories had a day closed by chance.");
    }

    [Fact]
    public void Low_counts_close_no_day_but_a_closed_day_among_counts_is_still_closed()
    {
        // Returns at 0.3 to 3.0 a day: a weekday at 0.3 is 0 two weeks running in half of the windows, and where the other
        // days' few zeros happened not to show in those two weeks it had been forecast 0 with no width (a QA pass). Also with
        // the last value missing, which the forecast fills with a value that is no whole number (a review).
        var model = ForecastTrainer.Train([ClosedWeekends(182, 2)], new TrainingOptions { Horizon = 14, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42, InputWindow = 14 }).Model;
        double[] rates = [0.3, 0.5, 0.8, 1.0, 1.5, 3.0, 2.5];
        int Closed(double[] dayRates, bool lastMissing = false) => Enumerable.Range(0, 200).Count(seed =>
        {
            var rng = new SeededRandom((ulong)(seed + 700));
            var history = Enumerable.Range(0, 60).Select(t => (float)Poisson(rng, dayRates[t % 7])).ToArray();
            if (lastMissing) history[^1] = float.NaN;
            var forecast = model.Forecast([history])[0];
            return Enumerable.Range(0, 14).Any(t => forecast.Quantiles[0.9f][t] == 0 && forecast.Quantiles[0.1f][t] == 0);
        });
        int closed = Closed(rates), missingLast = Closed(rates, lastMissing: true);
        Assert.True(closed <= 4 && missingLast <= 4, $"{closed} and {missingLast} of 200 windows had a day closed by chance.");
        // A shop closed on Sundays that sells about 20 items a day: its Sundays are still closed in every window.
        Assert.Equal(200, Closed([20, 20, 20, 20, 20, 20, 0]));
    }

    [Fact]
    public void Night_hours_counted_in_whole_watts_are_still_closed()
    {
        // Hourly output in whole watts: 0 from 18:00 to 06:00, one or two watts at dawn and dusk, 100 at noon. A dozen
        // phases of zeros are no chance, however quiet the dawn (a review: one test for one phase had reopened the nights).
        static float[] Solar(int length, ulong seed)
        {
            var rng = new SeededRandom(seed);
            return Enumerable.Range(0, length).Select(t =>
            {
                int hour = t % 24;
                double mean = hour is < 6 or >= 18 ? 0 : 100 * Math.Pow(Math.Sin(Math.PI * (hour - 5.5) / 12.5), 2);
                return mean == 0 ? 0f : MathF.Max(0, MathF.Round((float)(mean * (1 + 0.2 * rng.NextGaussian()))));
            }).ToArray();
        }
        var series = Solar(24 * 40, 4);
        var model = ForecastTrainer.Train([series], new TrainingOptions { Horizon = 24, HiddenSize = 8, Epochs = 3, Ensemble = 1, Seed = 42, InputWindow = 72, SeasonLength = 24 }).Model;
        Assert.InRange(series.Where((_, t) => t % 24 == 6).Average(), 0.5, 3); // a quiet dawn
        var forecast = model.Forecast([Solar(24 * 10, 9)])[0];
        for (int t = 0; t < 24; t++)
            if (t % 24 is < 6 or >= 18) Assert.Equal(0f, forecast.Quantiles[0.9f][t]);
    }

    /// <summary>A Poisson count of mean <paramref name="rate"/> (Knuth's product of uniforms).</summary>
    static int Poisson(SeededRandom rng, double rate)
    {
        double limit = Math.Exp(-rate), product = 1;
        int k = -1;
        do { k++; product *= rng.NextFloat(); } while (product > limit);
        return k;
    }
}
