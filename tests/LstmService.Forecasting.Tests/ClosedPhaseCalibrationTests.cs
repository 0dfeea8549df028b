using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>Phases closed throughout (a shop's days off) do not set the open phases' interval width (<see cref="Conformal.ClosedPhases(IReadOnlyList{float}, int)"/>).</summary>
public class ClosedPhaseCalibrationTests
{
    /// <summary>Daily sales of 20 in noise of deviation 3, on the first 7 - <paramref name="closedDays"/> days of each week; 0 on the others.</summary>
    static float[] Sales(int length, int closedDays, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => t % 7 >= 7 - closedDays ? 0f : (float)(20 + 3 * rng.NextGaussian())).ToArray();
    }

    [Fact]
    public void The_phases_zero_in_every_period_are_closed()
    {
        var phases = Conformal.ClosedPhases(Sales(84, 2, 1), 7);
        Assert.Equal([false, false, false, false, false, true, true], Assert.IsType<bool[]>(phases));
        var gappy = Sales(84, 2, 1);
        gappy[5] = float.NaN; // a missing day is no open one
        Assert.Equal(phases, Conformal.ClosedPhases(gappy, 7));
    }

    [Fact]
    public void Zeros_by_chance_everywhere_or_nowhere_close_nothing()
    {
        var reopened = Sales(84, 2, 1);
        reopened[40] = 7; // one Saturday open
        Assert.Equal([false, false, false, false, false, false, true], Assert.IsType<bool[]>(Conformal.ClosedPhases(reopened, 7)));
        Assert.Null(Conformal.ClosedPhases(Sales(84, 0, 1), 7));
        Assert.Null(Conformal.ClosedPhases(new float[84], 7));
        // Intermittent demand (four of five days zero): a weekday zero in every week of three by chance is no closed day.
        var rng = new SeededRandom(4);
        var intermittent = Enumerable.Range(0, 21).Select(_ => rng.NextFloat() < 0.8f ? 0f : 3f).ToArray();
        Assert.Null(Conformal.ClosedPhases(intermittent, 7));
        Assert.Null(Conformal.ClosedPhases(Sales(14, 2, 1), 7)); // two weeks: too few periods to tell
    }

    [Fact]
    public void The_open_days_intervals_cover_as_the_closed_days_share_grows()
    {
        // The closed days' residuals, all near 0, had set the width: five closed days of seven covered the open days' sales
        // 0.1-0.9 in 0.487 of 20 series' two weeks (two closed days 0.750); now 0.825 (0.815).
        var options = new TrainingOptions { Horizon = 14, Seed = 5, SeasonCandidates = [7] };
        foreach (var closedDays in new[] { 2, 5 })
        {
            int open = 0, inside = 0;
            for (ulong seed = 100; seed < 120; seed++)
            {
                var all = Sales(98, closedDays, seed);
                var history = all[..84];
                var forecast = ForecastTrainer.Train([history], options).Model.Forecast([history])[0];
                for (int h = 0; h < 14; h++)
                {
                    if ((84 + h) % 7 >= 7 - closedDays) continue;
                    open++;
                    if (all[84 + h] >= forecast.Quantiles[0.1f][h] && all[84 + h] <= forecast.Quantiles[0.9f][h]) inside++;
                }
            }
            Assert.InRange((double)inside / open, 0.75, 0.95);
        }
    }
}
