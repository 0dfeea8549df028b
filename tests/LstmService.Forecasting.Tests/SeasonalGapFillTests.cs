using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// <see cref="SeasonalGapFill"/>: a seasonal training series' inner gaps filled along its season rather than drawn straight,
/// and what that does to the intervals of a series missing a third of its days.
/// </summary>
public class SeasonalGapFillTests
{
    static readonly float[] Week = [10, 20, 30, 40, 50, 5, 5];

    /// <summary>A trend of 0.5 a step plus <paramref name="season"/>(t), with a share of the inner values missing.</summary>
    static (float[] Values, float[] Truth) WithGaps(int length, ulong seed, double missing, Func<int, float> season)
    {
        var rng = new SeededRandom(seed);
        var truth = Enumerable.Range(0, length).Select(t => 100 + 0.5f * t + season(t)).ToArray();
        var values = truth.Select((v, t) => t > 0 && t < length - 1 && rng.NextFloat() < missing ? float.NaN : v).ToArray();
        return (values, truth);
    }

    static float[] Straight(float[] values)
    {
        var filled = new float[values.Length];
        SeriesMath.FillGaps(values, filled);
        return filled;
    }

    static float[] Filled(float[] values, int m, int split)
    {
        var filled = Straight(values);
        SeasonalGapFill.Fill(values, filled, m, split);
        return filled;
    }

    static float LargestMiss(float[] filled, float[] truth, int from = 0) =>
        Enumerable.Range(from, truth.Length - from).Max(t => Math.Abs(filled[t] - truth[t]));

    [Theory]
    [InlineData(7)]  // odd: a moving average of one period
    [InlineData(12)] // even: 2 x 12, its ends weighted by half
    public void A_trend_and_a_season_are_filled_where_a_straight_line_cuts_the_turns(int m)
    {
        var (values, truth) = WithGaps(10 * m, 3, 0.3, t => m == 7 ? Week[t % 7] : 20 * MathF.Sin(2 * MathF.PI * t / 12));
        Assert.InRange(values.Count(float.IsNaN), 2 * m, 5 * m);
        var filled = Filled(values, m, values.Length);
        for (int t = 0; t < values.Length; t++)
            if (!float.IsNaN(values[t])) Assert.Equal(values[t], filled[t]); // observed values stay as given
        Assert.InRange(LargestMiss(filled, truth), 0, 0.5f); // the moving average read the first pass's straight lines too
        Assert.True(LargestMiss(Straight(values), truth) > 5);
    }

    [Fact]
    public void A_season_that_changes_is_filled_as_it_was_then()
    {
        // The week turns around after 15 weeks (the busiest day becomes the quietest): the whole series' mean week, half of
        // each, fills the last weeks' gaps up to 19 off (measured with no neighbouring periods); the weeks just before them
        // fill them within 7 (a value whose phase is missing in all three falls back to that mean).
        var (values, truth) = WithGaps(210, 5, 0.25, t => t < 105 ? Week[t % 7] : Week[6 - t % 7]);
        var filled = Filled(values, 7, values.Length);
        Assert.InRange(LargestMiss(filled, truth, 140), 0, 10f);
        Assert.True(LargestMiss(Straight(values), truth, 140) > 5);
    }

    [Fact]
    public void A_training_part_gap_is_filled_from_the_training_part_alone()
    {
        var (values, _) = WithGaps(70, 3, 0, t => Week[t % 7]);
        values[52] = values[53] = float.NaN;
        var before = Filled(values, 7, 56);
        for (int t = 56; t < 70; t++) values[t] = 1e6f; // the validation part
        var after = Filled(values, 7, 56);
        Assert.Equal(before[52], after[52]);
        Assert.Equal(before[53], after[53]);
    }

    [Fact]
    public void A_series_never_negative_is_filled_no_lower_than_its_smallest_value()
    {
        // A trend down to zero: the season's trough, added to the line across a late gap, would reach below it.
        var (values, _) = WithGaps(84, 8, 0.3, t => Week[t % 7] - 23);
        for (int t = 0; t < values.Length; t++) values[t] = float.IsNaN(values[t]) ? float.NaN : Math.Max(0, values[t] - 1.9f * t);
        var filled = Filled(values, 7, values.Length);
        Assert.Equal(0, values.Where(v => !float.IsNaN(v)).Min());
        Assert.All(filled, v => Assert.True(v >= 0));
        // A validation part that goes negative leaves the training part's floor as it was: it reads only the training part.
        var withNegativeValidation = values.Concat(Enumerable.Repeat(-5f, 14)).ToArray();
        var trainingFilled = Filled(withNegativeValidation, 7, values.Length);
        Assert.Equal(filled, trainingFilled[..values.Length]);
        Assert.NotEqual(Straight(values), filled); // it was filled along the season
    }

    [Fact]
    public void Fewer_than_three_periods_or_no_season_keep_the_straight_lines()
    {
        var (values, _) = WithGaps(20, 3, 0.3, t => Week[t % 7]);
        Assert.Equal(Straight(values), Filled(values, 7, values.Length)); // 20 values: under three weeks
        var (longer, _) = WithGaps(70, 4, 0.3, t => Week[t % 7]);
        Assert.Equal(Straight(longer), Filled(longer, 1, longer.Length));
    }

    [Fact]
    public void A_set_without_gaps_or_with_covariates_is_left_as_it_is()
    {
        var options = new TrainingOptions { Horizon = 7 };
        var (complete, _) = WithGaps(70, 3, 0, t => Week[t % 7]);
        var set = SeriesSet.Prepare([new TrainingSeries(complete)], options);
        Assert.Same(set, set.WithSeasonalFill(7));
        Assert.Equal(0, set.GapsFilledAlong);
        var (gappy, truth) = WithGaps(70, 3, 0.3, t => Week[t % 7]);
        var withCovariate = SeriesSet.Prepare([new TrainingSeries(gappy, new Dictionary<string, float[]> { ["x"] = truth })], options);
        Assert.Same(withCovariate, withCovariate.WithSeasonalFill(7));
        var filled = SeriesSet.Prepare([new TrainingSeries(gappy)], options).WithSeasonalFill(7);
        // The season the rolling origins' histories are filled along: none for the covariate model, 7 here.
        Assert.Equal(0, ForecastTrainer.Prepared(withCovariate, options, [7]).GapsFilledAlong);
        Assert.Equal(7, filled.GapsFilledAlong);
        Assert.True(float.IsNaN(filled.Raw[0][Array.FindIndex(gappy, float.IsNaN)])); // the values as given stay missing
        Assert.Equal(Straight(gappy), filled.OriginalFilled![0]);                      // what the backtest's baselines read
        Assert.NotEqual(Straight(gappy), filled.Filled[0]);
    }

    [Fact]
    public void A_third_of_the_days_missing_leaves_the_intervals_about_as_wide_as_none()
    {
        // Daily values of a weekly pattern in noise of 3; the same series with about a third of its days missing. With
        // straight lines the intervals were twice as wide (2.1 times over these six series).
        var options = new TrainingOptions { Horizon = 14, Seed = 42, SeasonCandidates = [7] };
        double complete = 0, gappy = 0;
        int inside = 0, scored = 0;
        for (ulong seed = 0; seed < 6; seed++)
        {
            var rng = new SeededRandom(500 + seed);
            var week = Enumerable.Range(0, 7).Select(_ => 30 * rng.NextFloat() - 15).ToArray();
            double level = 50 + 50 * rng.NextFloat();
            var all = Enumerable.Range(0, 154).Select(t => (float)(level + week[t % 7] + 3 * rng.NextGaussian())).ToArray();
            var history = all[..140];
            var missing = history.Select((v, t) => t > 0 && t < 139 && rng.NextFloat() < 0.35f ? float.NaN : v).ToArray();
            complete += MeanWidth(ForecastTrainer.Train([history], options).Model.Forecast([history])[0]);
            var forecast = ForecastTrainer.Train([missing], options).Model.Forecast([missing])[0];
            gappy += MeanWidth(forecast);
            for (int h = 0; h < 14; h++, scored++)
                if (all[140 + h] >= forecast.Quantiles[0.1f][h] && all[140 + h] <= forecast.Quantiles[0.9f][h]) inside++;
        }
        Assert.InRange(gappy / complete, 0.8, 1.6);
        Assert.InRange((double)inside / scored, 0.65, 0.97);

        static double MeanWidth(SeriesForecast f) => Enumerable.Range(0, f.Mean.Length).Average(h => f.Quantiles[0.9f][h] - f.Quantiles[0.1f][h]);
    }
}
