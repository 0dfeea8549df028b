using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;
using LstmService.TestSupport;

namespace LstmService.Forecasting.Tests;

/// <summary>A known sampling frequency narrows the season detector's candidates; an unknown one leaves detection as it was.</summary>
public class SeasonCandidateTests
{
    /// <summary>A slow random walk plus a season of <paramref name="period"/> and noise.</summary>
    static double[] Seasonal(int length, int period, ulong seed)
    {
        var rng = new SeededRandom(seed);
        double level = 100;
        var y = new double[length];
        for (int t = 0; t < length; t++)
        {
            level += 0.3 * rng.NextGaussian();
            y[t] = level + 3 * Math.Sin(2 * Math.PI * t / period) + rng.NextGaussian();
        }
        return y;
    }

    [Fact]
    public void The_default_candidates_give_what_detect_without_candidates_gives()
    {
        foreach (var period in new[] { 4, 7, 12, 24, 52 })
        {
            var y = Seasonal(400, period, 3);
            Assert.Equal(SeasonDetector.Detect(y), SeasonDetector.Detect(y, SeasonDetector.Candidates));
        }
    }

    [Fact]
    public void Only_the_suggested_candidates_are_tested()
    {
        var weekly = Seasonal(300, 7, 5);
        Assert.Equal([7], SeasonDetector.Detect(weekly));
        // Monthly data: a 7-step cycle is no calendar season of months, so the detector does not look for it.
        Assert.Empty(SeasonDetector.Detect(weekly, [12]));
        Assert.Equal([7], SeasonDetector.Detect(weekly, [7]));
        // Yearly data suggests no season at all.
        Assert.Empty(SeasonDetector.Detect(weekly, []));
        // A suggestion the data does not show is not imposed.
        Assert.Empty(SeasonDetector.Detect(Seasonal(300, 5, 5), [12]));
    }

    [Fact]
    public void The_trainer_tests_the_options_candidates_and_an_explicit_season_wins()
    {
        var y = Array.ConvertAll(Seasonal(300, 7, 9), v => (float)v);
        var options = new TrainingOptions { Horizon = 2 };
        var set = SeriesSet.Prepare([new TrainingSeries(y)], options);
        Assert.Equal([7], ForecastTrainer.Seasons(set, options));
        Assert.Empty(ForecastTrainer.Seasons(set, options with { SeasonCandidates = [12] }));
        Assert.Equal([12], ForecastTrainer.Seasons(set, options with { SeasonCandidates = [7], SeasonLength = 12 }));
    }

    [Fact]
    public void A_season_the_training_part_is_too_short_to_test_is_tested_on_the_whole_series()
    {
        // 36 monthly values with a horizon of 6 keep 29 for training, under the 2.5 periods (30) a test of 12 needs: the
        // season had gone untested and the forecast was twice as far off as a seasonal naive one (MAE 7.1 against 4.1; now
        // 4.6). A candidate the training part can test is still tested there alone.
        var rng = new SeededRandom(1);
        var y = Enumerable.Range(0, 36).Select(t => 100 + 30 * MathF.Sin(2 * MathF.PI * t / 12) + 3 * (float)rng.NextGaussian()).ToArray();
        var options = new TrainingOptions { Horizon = 6 };
        var set = SeriesSet.Prepare([new TrainingSeries(y)], options);
        Assert.False(SeasonDetector.Testable(12, set.ValidationStart[0]));
        Assert.Equal([12], ForecastTrainer.Seasons(set, options));
        Assert.Equal([12], ForecastTrainer.Seasons(set, options with { SeasonCandidates = [12] }));
        Assert.Equal(12, ForecastTrainer.Train([y], options with { HiddenSize = 4, Ensemble = 1, Epochs = 2 }).Model.SeasonLength);
        // Noise of that length shows none.
        var noise = Enumerable.Range(0, 36).Select(_ => 100 + 3 * (float)rng.NextGaussian()).ToArray();
        Assert.Empty(ForecastTrainer.Seasons(SeriesSet.Prepare([new TrainingSeries(noise)], options), options));
    }

    [Fact]
    public void A_yearly_season_of_weekly_values_is_52_weeks_not_its_neighbour_48()
    {
        // 3 to 3.5 years of weekly values of a yearly season (52.18 weeks): the training part tests 48 before it holds the
        // 2.5 periods of 52, and a QA pass saw half such series forecast with a season of 48, a fifth worse than a seasonal
        // naive forecast. Of two neighbours the one the series correlates more at wins, the whole series deciding.
        // Half the series carry a glitch of 20 noise deviations, which the comparison must not read (a review: it had
        // decided for 48 in a fifth of such series).
        int fortyEight = 0, fiftyTwo = 0;
        for (ulong seed = 0; seed < 40; seed++)
        {
            var rng = new SeededRandom(100 + seed);
            int n = 156 + (int)(seed * 3 % 13);
            double phase = 2 * Math.PI * rng.NextFloat();
            var y = Enumerable.Range(0, n).Select(t => (float)(100 + 25 * Math.Sin(2 * Math.PI * t / (365.25 / 7) + phase) + 5 * rng.NextGaussian())).ToArray();
            if (seed % 2 == 1) y[20 + rng.NextInt(n - 60)] += 100;
            var options = new TrainingOptions { Horizon = 26 };
            var seasons = ForecastTrainer.Seasons(SeriesSet.Prepare([new TrainingSeries(y)], options), options);
            if (seasons.Contains(48)) fortyEight++;
            if (seasons.Count > 0 && seasons[0] == 52) fiftyTwo++;
        }
        Assert.True(fiftyTwo >= 38 && fortyEight == 0, $"52 first in {fiftyTwo} of 40, 48 in {fortyEight}");

        // A true 48 (a day of half-hours) beside the candidate 52 stays 48 (a guard: there 52 fails its own test).
        var rngDay = new SeededRandom(7);
        var day = Enumerable.Range(0, 400).Select(t => 100 + 10 * Math.Sin(2 * Math.PI * t / 48) + rngDay.NextGaussian()).ToArray();
        Assert.Equal([48], SeasonDetector.Detect(day, [48, 52]));
        Assert.True(SeasonDetector.Neighbours(48, 52) && !SeasonDetector.Neighbours(48, 96) && !SeasonDetector.Neighbours(52, 52));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(14)]
    [InlineData(16)]
    public void Three_or_four_years_of_quarterly_values_keep_their_season(int length)
    {
        // A QA pass: 16 quarterly values around 500, a season of -30, +10, +25, -5 and noise of 2, horizon 4. The training
        // part (12 values) was shorter than any test read, and the forecast was 3.7 times as far off as a seasonal naive one.
        double error = 0, seasonalNaive = 0;
        for (ulong seed = 0; seed < 4; seed++)
        {
            var rng = new SeededRandom(200 + seed);
            int[] season = [-30, 10, 25, -5];
            var y = Enumerable.Range(0, length + 4).Select(t => (float)(500 + season[t % 4] + 2 * rng.NextGaussian())).ToArray();
            var model = ForecastTrainer.Train([y[..length]], new TrainingOptions { Horizon = 4, SeasonCandidates = [4], Seed = seed }).Model;
            Assert.Equal(4, model.SeasonLength);
            var forecast = model.Forecast([y[..length]])[0];
            for (int t = 0; t < 4; t++)
            {
                error += Math.Abs(forecast.Mean[t] - y[length + t]);
                seasonalNaive += Math.Abs(y[length - 4 + t] - y[length + t]);
            }
        }
        Assert.True(error < 1.5 * seasonalNaive, $"mean absolute error {error / 16:F2}, a seasonal naive forecast's {seasonalNaive / 16:F2}");
    }

    [Fact]
    public void Twelve_values_of_noise_seldom_show_a_quarterly_season()
    {
        // The fewest values tested (SeasonDetector.MinimumLength); fewer are not tested at all.
        int found = 0;
        for (ulong seed = 0; seed < 400; seed++)
        {
            var rng = new SeededRandom(seed);
            var noise = Enumerable.Range(0, 12).Select(_ => 100 + rng.NextGaussian()).ToArray();
            if (SeasonDetector.Detect(noise, [4]).Count > 0) found++;
            Assert.Empty(SeasonDetector.Detect(noise[..11], [4]));
        }
        Assert.InRange(found, 0, 80);
    }

    [Fact]
    public void A_season_of_one_means_none_for_the_window_too()
    {
        // Without the request's word the window follows the autocorrelation's cycle even where no candidate season shows;
        // with seasonLength 1 ("no season") neither the members nor the window nor the model's reported season have one.
        var y = Array.ConvertAll(Seasonal(300, 7, 9), v => (float)v);
        var options = new TrainingOptions { Horizon = 2, SeasonCandidates = [12] };
        var set = SeriesSet.Prepare([new TrainingSeries(y)], options);
        Assert.Empty(ForecastTrainer.Seasons(set, options));
        Assert.Equal(set.DetectSeason(), ForecastTrainer.WindowSeason(set, options, []));
        Assert.True(set.DetectSeason() > 1);
        Assert.Equal(1, ForecastTrainer.WindowSeason(set, options with { SeasonLength = 1 }, []));
        var model = ForecastTrainer.Train([new TrainingSeries(y)], new TrainingOptions { Horizon = 2, SeasonLength = 1, Epochs = 2, HiddenSize = 4, Ensemble = 1 }).Model;
        Assert.True(model.SeasonLength <= 1, $"season {model.SeasonLength}");
        Assert.Equal(1, model.Statistics!.Smoothing.Season);
    }

    [Fact]
    public void A_cycle_that_is_no_season_sizes_the_window_but_is_not_reported()
    {
        // A period of 7 where only 12 is a candidate (a monthly series' cycle): the window still spans it, but the model's
        // season, and the backtest's seasonal naive with it, is 1; it had reported the cycle.
        var y = Array.ConvertAll(Seasonal(300, 7, 9), v => (float)v);
        var options = new TrainingOptions { Horizon = 2, SeasonCandidates = [12], Epochs = 2, HiddenSize = 4, Ensemble = 1 };
        var result = ForecastTrainer.Train([new TrainingSeries(y)], options);
        Assert.Equal(1, result.Model.SeasonLength);
        Assert.Equal(1, result.Metrics!.SeasonLength);
        Assert.True(result.Model.InputWindow >= 7, $"window {result.Model.InputWindow}");
        // With the season a candidate, it is found and reported.
        var seasonal = ForecastTrainer.Train([new TrainingSeries(y)], options with { SeasonCandidates = [7] });
        Assert.Equal(7, seasonal.Model.SeasonLength);
        Assert.Equal(7, seasonal.Metrics!.SeasonLength);
    }

    [Theory]
    [InlineData(new[] { 1, 12 })]
    [InlineData(new[] { 12, 7 })]
    public void Bad_candidates_are_refused(int[] candidates)
    {
        var problems = ForecastTrainer.Check([new TrainingSeries(new float[50])], new TrainingOptions { SeasonCandidates = candidates });
        Assert.Contains(problems, p => p.Field == "seasonCandidates");
    }
}
