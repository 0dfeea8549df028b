using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A gap that a value closes, just after a change of level: both of its ends lie at the new level, so it is filled there
/// (<c>ForecastModel.AcrossChange</c>). Filled from the members' forecasts at the old level, two missing days after a daily
/// series rose by 40 had been read as two values back at it: the change was read short, or not at all seven days after it
/// (a QA pass: 106 where 139 came).
/// </summary>
public class GapAfterLevelChangeTests
{
    const int Trained = 159, Step = 40, Season = 7;

    /// <summary>Daily values about 100 with a weekly pattern of 10 and noise of 2; 40 higher from value 159 on.</summary>
    static float[] Daily(int count, int seed, double step = Step)
    {
        var rng = new Random(seed);
        var y = new float[count];
        for (int t = 0; t < count; t++)
        {
            double noise = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            y[t] = (float)(100 + 10 * Math.Sin(2 * Math.PI * t / Season) + 2 * noise + (t >= Trained ? step : 0));
        }
        return y;
    }

    static double Expected(int t) => 100 + Step + 10 * Math.Sin(2 * Math.PI * t / Season);

    [Theory]
    [InlineData(2000)]
    [InlineData(2004)]
    public void Two_missing_values_after_a_change_are_filled_at_the_new_level(int seed)
    {
        var y = Daily(Trained + 7, seed);
        var model = ForecastTrainer.Train([y[..Trained]], new TrainingOptions { Horizon = 14 }).Model;
        var gapped = (float[])y.Clone();
        gapped[Trained + 1] = gapped[Trained + 2] = float.NaN;

        var complete = model.Forecast([y])[0];
        var forecast = model.Forecast([gapped])[0];
        Assert.NotNull(forecast.LevelChanges);
        var change = Assert.Single(forecast.LevelChanges);
        Assert.Equal(Trained, change.Index);
        Assert.InRange(change.Shift, Step - 4, Step + 4);
        Assert.InRange(forecast.Mean.Average() - complete.Mean.Average(), -2, 2);

        // The fill is at the new level, and a stream that received the values one at a time reads them alike, bit for bit.
        var state = model.NewState();
        foreach (var v in gapped) model.Append(state, v);
        Assert.Equal(forecast.Mean, model.Forecast(state).Mean);
        var window = model.WindowValues(state);
        for (int t = Trained + 1; t <= Trained + 2; t++)
            Assert.InRange(window[window.Length - (gapped.Length - t)], Expected(t) - 8, Expected(t) + 8);
    }

    [Fact]
    public void A_glitch_or_a_change_inside_the_gap_is_not_filled_from()
    {
        var y = Daily(Trained + 7, 2001, step: 0);
        var model = ForecastTrainer.Train([y[..Trained]], new TrainingOptions { Horizon = 14 }).Model;
        double Pattern(int t) => 100 + 10 * Math.Sin(2 * Math.PI * t / Season);

        // A glitch of +40 just before the gap, the values after it at the old level: the gap stays at the old level too.
        var glitch = (float[])y.Clone();
        glitch[Trained] += Step;
        glitch[Trained + 1] = glitch[Trained + 2] = float.NaN;
        var state = model.NewState();
        foreach (var v in glitch) model.Append(state, v);
        var window = model.WindowValues(state);
        for (int t = Trained + 1; t <= Trained + 2; t++)
            Assert.InRange(window[window.Length - (glitch.Length - t)], Pattern(t) - 8, Pattern(t) + 8);
        Assert.Null(model.Forecast(state).LevelChanges);

        // Only the value that closes the gap is 40 higher (as are those after it): nothing before the gap says when the
        // change came, so the gap is filled from before it, at the old level.
        var inside = (float[])y.Clone();
        for (int t = Trained + 3; t < inside.Length; t++) inside[t] += Step;
        inside[Trained + 1] = inside[Trained + 2] = float.NaN;
        state = model.NewState();
        foreach (var v in inside) model.Append(state, v);
        window = model.WindowValues(state);
        for (int t = Trained + 1; t <= Trained + 2; t++)
            Assert.InRange(window[window.Length - (inside.Length - t)], Pattern(t) - 8, Pattern(t) + 8);
    }
}
