using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Streaming;
using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A model of several series finds the seasons a fifth of its series show, not the longest series' alone: one random walk
/// a value longer than seven weekly series had taken the season from all of them (a QA pass).
/// </summary>
public class GlobalSeasonTests
{
    static float[] Weekly(int length, float level, ulong seed)
    {
        var rng = new SeededRandom(seed);
        float[] pattern = [0f, 0.3f, 0.5f, 0.4f, 0.9f, 1f, -0.6f];
        return [.. Enumerable.Range(0, length).Select(t => level * (1 + 0.2f * pattern[t % 7]) + 0.02f * level * (float)rng.NextGaussian())];
    }

    static float[] Walk(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        float level = 1000;
        return [.. Enumerable.Range(0, length).Select(_ => level += 10 * (float)rng.NextGaussian())];
    }

    static float[] Noise(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return [.. Enumerable.Range(0, length).Select(_ => 100 + 10 * (float)rng.NextGaussian())];
    }

    static IReadOnlyList<int> Seasons(IEnumerable<float[]> series)
    {
        var options = new TrainingOptions { Horizon = 7 };
        return ForecastTrainer.Seasons(SeriesSet.Prepare([.. series.Select(v => new TrainingSeries(v))], options), options);
    }

    [Fact]
    public void A_longer_series_without_a_season_does_not_take_the_others_season()
    {
        var weekly = Enumerable.Range(0, 7).Select(k => Weekly(365, 20 + 100 * k, (ulong)k + 1)).ToList();
        Assert.Equal(7, Seasons([.. weekly, Walk(366, 9)])[0]);
        Assert.Equal(7, Seasons([Walk(500, 9), .. weekly])[0]);
        // One weekly series among five walks is a fifth of six: still read; among five walks and noise, not.
        Assert.Equal(7, Seasons([Walk(366, 1), Walk(366, 2), Walk(366, 3), Walk(366, 4), weekly[0]])[0]);
        Assert.DoesNotContain(7, Seasons([.. Enumerable.Range(0, 5).Select(k => Walk(366, (ulong)k + 1)), Noise(365, 6), weekly[0]]));
        // One series: its own seasons, as before.
        Assert.Equal(7, Seasons([weekly[3]])[0]);
        Assert.Empty(Seasons([Walk(366, 9)]));
    }

    /// <summary>Four random walks and a weekly series whose noise is a fiftieth of its level (its last week held out), trained with ids.</summary>
    static (ForecastModel Model, float[] Weekly) WalksAndWeekly()
    {
        var weekly = Weekly(300, 500, 5);
        var series = Enumerable.Range(0, 4).Select(k => new TrainingSeries(Walk(300, (ulong)k + 11), Id: $"walk-{k}"))
            .Append(new TrainingSeries(weekly[..293], Id: "weekly")).ToList();
        return (ForecastTrainer.Train(series, new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 }).Model, weekly);
    }

    [Fact]
    public void A_clean_weekly_series_beside_random_walks_mixes_with_its_own_weights_under_its_id()
    {
        // Four random walks and one weekly series whose noise is a fiftieth of its level: pooled, the mix suits the walks.
        var (model, weekly) = WalksAndWeekly();
        Assert.Equal(7, model.SeasonLength);
        var own = model.SeriesMixWeights!["weekly"];
        Assert.Equal(1f, own.Sum(), 3);
        double Error(SeriesForecast f) => f.Mean.Select((m, t) => Math.Abs(m - weekly[293 + t])).Average();
        double named = Error(model.Forecast([new ForecastInput(weekly[..293], Id: "weekly")])[0]);
        double pooled = Error(model.Forecast([new ForecastInput(weekly[..293])])[0]);
        Assert.True(named < 0.8 * pooled, $"under its id {named}, pooled {pooled}");
    }

    [Fact]
    public void A_gap_in_a_named_series_is_filled_with_its_own_weights_as_a_stream_fills_it()
    {
        // The walks' pooled mix fills a week of the weekly series as a level; its own weights follow the week (a QA note: gap
        // fills used the pooled weights where the forecast after them used the series' own).
        var (model, weekly) = WalksAndWeekly();
        var history = weekly[..293].ToArray();
        for (int t = 280; t < 287; t++) history[t] = float.NaN;
        double FillError(string? id)
        {
            var state = model.NewState(history, seriesId: id);
            int committed = state.Committed;
            return Enumerable.Range(280, 7).Average(t => Math.Abs(state.Tail[state.Tail.Count - (committed - t)] - weekly[t]));
        }
        double named = FillError("weekly"), pooled = FillError(null);
        Assert.True(named < 0.9 * pooled, $"gap filled under its id {named}, pooled {pooled}");
        // A one-off forecast and a stream's state of the same history under the id agree, a trailing gap's fill included.
        var trailing = history.Concat(Enumerable.Repeat(float.NaN, 3)).ToArray();
        foreach (var h in new[] { history, trailing })
            Assert.Equal(model.Forecast([new ForecastInput(h, Id: "weekly")])[0].Mean, model.Forecast(model.NewState(h, seriesId: "weekly"), seriesId: "weekly").Mean);
        Assert.NotEqual(model.Forecast([new ForecastInput(trailing, Id: "weekly")])[0].Mean, model.Forecast(model.NewState(trailing), seriesId: "weekly").Mean);
        // Appended value by value, as a stream appends, the gap is filled as the state's id says.
        SeriesState Appended(string? id)
        {
            var state = model.NewState();
            state.SeriesId = id;
            foreach (var v in history) model.Append(state, v);
            return state;
        }
        Assert.Equal(model.Forecast([new ForecastInput(history, Id: "weekly")])[0].Mean, model.Forecast(Appended("weekly")).Mean);
        Assert.NotEqual(model.Forecast([new ForecastInput(history, Id: "weekly")])[0].Mean, model.Forecast(Appended(null), seriesId: "weekly").Mean);
    }

    [Fact]
    public void The_backtest_scores_each_series_under_its_id_as_it_is_served()
    {
        // The same four walks and weekly series trained with ids and without: the same pooled model, but the version's backtest
        // forecasts each series under its id (own weights and scales), as a forecast naming it and a stream's online MASE are.
        var weekly = Weekly(300, 500, 5);
        List<TrainingSeries> Set(bool ids) => [.. Enumerable.Range(0, 4).Select(k => new TrainingSeries(Walk(300, (ulong)k + 11), Id: ids ? $"walk-{k}" : null)),
            new TrainingSeries(weekly, Id: ids ? "weekly" : null)];
        var options = new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 };
        var named = ForecastTrainer.Train(Set(ids: true), options);
        var anonymous = ForecastTrainer.Train(Set(ids: false), options);
        Assert.Null(anonymous.Model.SeriesMixWeights);
        Assert.Equal(anonymous.Model.Forecast([new ForecastInput(weekly)])[0].Mean, named.Model.Forecast([new ForecastInput(weekly)])[0].Mean);
        Assert.Equal(anonymous.Metrics.Model.Points, named.Metrics.Model.Points);
        Assert.True(named.Metrics.Model.Mase < 0.97 * anonymous.Metrics.Model.Mase,
            $"backtest MASE under the ids {named.Metrics.Model.Mase}, pooled {anonymous.Metrics.Model.Mase}");
    }

    [Fact]
    public void Sets_of_noise_seldom_show_a_season()
    {
        int shown = 0;
        for (int trial = 0; trial < 40; trial++)
            if (Seasons(Enumerable.Range(0, 6).Select(k => Noise(150, (ulong)(trial * 10 + k)))).Count > 0) shown++;
        Assert.True(shown <= 4, $"{shown} of 40 sets of six white-noise series showed a season");
    }
}
