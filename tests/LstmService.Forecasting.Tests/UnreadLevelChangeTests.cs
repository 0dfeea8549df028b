using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A change of level in the validation part no longer sets the intervals of a forecast that reads it
/// (<see cref="UnreadLevelChanges"/>): the validation windows' residuals at or after a change their origin had not read
/// are left out of the floor they set (every window's pool keeps them). With the last 14 of 159 daily values 40 higher,
/// the 0.1-0.9 interval from the training part's end had been about six times as wide as without the change.
/// </summary>
public class UnreadLevelChangeTests
{
    const int Length = 159, Horizon = 14;

    static float[] Weekly(int length, int shifted, float shift, ulong seed, double walk = 0) =>
        Array.ConvertAll(LevelShiftTests.Weekly(length, shifted, shift, seed, walk), v => (float)v);

    /// <summary>The series on the scale the model's members read (the log where it chose that transform).</summary>
    static float[] OnItsScale(ForecastModel model, float[] series) => SeriesTransforms.Forward(model.Transform, series);

    static double MeanWidth(ForecastModel model, float[] history)
    {
        var forecast = model.Forecast([history])[0];
        return Enumerable.Range(0, Horizon).Average(t => forecast.Quantiles[0.9f][t] - forecast.Quantiles[0.1f][t]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void AChangeIsReadAFewValuesAfterItsStartAndAStraightSeriesHoldsNone(double walk)
    {
        var model = ForecastTrainer.Train([Weekly(Length, 0, 0, 5, walk)], new TrainingOptions { Horizon = Horizon }).Model;
        var statistics = model.Statistics!;
        Assert.Empty(UnreadLevelChanges.ReadTimes(statistics, OnItsScale(model, Weekly(Length, 0, 0, 6, walk))));

        var (change, readFrom) = Assert.Single(UnreadLevelChanges.ReadTimes(statistics, OnItsScale(model, Weekly(Length, 40, 40, 6, walk))));
        int start = Length - 40;
        double expected = model.Transform == SeriesTransform.Log ? Math.Log(1.4) : 40;
        Assert.InRange(change.Start, start - 1, start + 1);
        Assert.InRange(change.Shift, 0.85 * expected, 1.15 * expected);
        // Read once a run of values at the new level shows it (a week: the season), and not before four.
        Assert.InRange(readFrom, change.Start + LevelShiftWatch.MinimumRun, change.Start + 3 * 7);
    }

    [Fact]
    public void TargetsAtOrAfterAChangeTheirOriginHadNotReadAreUnread()
    {
        var model = ForecastTrainer.Train([Weekly(Length, 0, 0, 5)], new TrainingOptions { Horizon = Horizon }).Model;
        var statistics = model.Statistics!;
        var series = OnItsScale(model, Weekly(Length, 40, 40, 6));
        var (change, readFrom) = Assert.Single(UnreadLevelChanges.ReadTimes(statistics, series));
        var data = Windows(series);
        var windows = data.Train.Concat(data.Validation).ToList();
        var unread = UnreadLevelChanges.Of(statistics, data, windows)!;
        for (int i = 0; i < windows.Count; i++)
            for (int t = 0; t < 4; t++)
            {
                int origin = windows[i].TargetStart;
                bool expected = origin + t >= change.Start && origin < readFrom;
                Assert.True(expected == unread[i * 4 + t], $"origin {origin}, step {t}: change at {change.Start}, read from {readFrom}");
            }
        Assert.Contains(true, unread);
        Assert.Null(UnreadLevelChanges.Of(statistics, Windows(OnItsScale(model, Weekly(Length, 0, 0, 6))), windows));
    }

    /// <summary>Every window of 10 values and 4 targets of <paramref name="series"/>.</summary>
    static WindowedData Windows(float[] series)
    {
        var set = SeriesSet.Prepare([new TrainingSeries(series)], new TrainingOptions { Horizon = 4, InputWindow = 10 });
        return WindowedData.Build(set, set.Statistics(ScalingMode.WindowLevel, false), 10, 4, ScalingMode.WindowLevel, heldOut: false);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void AChangeInTheValidationPartLeavesTheIntervalsOfAForecastThatReadsItAboutAsWide(double walk)
    {
        var ratios = new List<double>();
        // Seeds whose forecast from the training part's end reads the change (seed 1's does not, a week on).
        for (ulong seed = 2; seed <= 4; seed++)
        {
            var plain = Weekly(Length, 0, 0, seed, walk);
            var changed = Weekly(Length, 14, 40, seed, walk);
            var options = new TrainingOptions { Horizon = Horizon };
            double without = MeanWidth(ForecastTrainer.Train([plain], options).Model, plain);
            var model = ForecastTrainer.Train([changed], options).Model;
            Assert.Single(model.Forecast([changed])[0].LevelChanges!);
            ratios.Add(MeanWidth(model, changed) / without);
        }
        // Before, every later step of most validation windows held the step, and the floor they set made the interval 5.4 to
        // 10.4 times as wide as without the change; now 2.1 to 3.4 (the steps across the change still count among every window's).
        Assert.True(ratios.Max() < 4, $"width with the change over without it: {string.Join(", ", ratios.Select(r => r.ToString("F2")))}");
    }
}
