using LstmService.Drift;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;

namespace LstmService.Tests;

/// <summary>
/// A drift review scores champion and challenger on the streams' recent values under each stream's series id, as the
/// streams forecast: it had scored a model of several series on the pooled mix, which a series it trained on is never
/// served (its own weights and interval scales), so the review could judge a version by forecasts nobody received.
/// </summary>
public class RecentErrorTests
{
    static float Gaussian(Random rng) => MathF.Sqrt(-2 * MathF.Log(1 - rng.NextSingle())) * MathF.Cos(2 * MathF.PI * rng.NextSingle());

    static float[] Weekly(int length, float level, int seed)
    {
        var rng = new Random(seed);
        float[] pattern = [0f, 0.3f, 0.5f, 0.4f, 0.9f, 1f, -0.6f];
        return [.. Enumerable.Range(0, length).Select(t => level * (1 + 0.2f * pattern[t % 7]) + 0.02f * level * Gaussian(rng))];
    }

    static float[] Walk(int length, int seed)
    {
        var rng = new Random(seed);
        float level = 1000;
        return [.. Enumerable.Range(0, length).Select(_ => level += 10 * Gaussian(rng))];
    }

    [Fact]
    public void A_series_is_scored_under_its_stream_series_id_as_the_stream_forecasts_it()
    {
        // Four random walks and a clean weekly series: pooled, the mix suits the walks; under its id the weekly series mixes its own way.
        var weekly = Weekly(330, 500, 5);
        var series = Enumerable.Range(0, 4).Select(k => new TrainingSeries(Walk(300, k + 11), Id: $"walk-{k}"))
            .Append(new TrainingSeries(weekly[..300], Id: "weekly")).ToList();
        var model = ForecastTrainer.Train(series, new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 }).Model;
        Assert.NotNull(model.SeriesMixWeights?["weekly"]);
        double?[] recent = [.. weekly.Select(v => (double?)v)];

        var (named, values) = RecentError.Of(model, [recent], 28, ["weekly"]);
        var (pooled, pooledValues) = RecentError.Of(model, [recent], 28);
        Assert.Equal(28, values);
        Assert.Equal(values, pooledValues);
        Assert.True(named < 0.8 * pooled, $"under its id {named}, pooled {pooled}");

        // The same error the stream's own forecasts make, origin by origin.
        double sum = 0;
        for (int origin = weekly.Length - 28; origin < weekly.Length; origin += 7)
        {
            var mean = model.Forecast(model.NewState(weekly[..origin]), seriesId: "weekly").Mean;
            for (int j = 0; j < 7; j++) sum += Math.Abs(weekly[origin + j] - mean[j]);
        }
        Assert.Equal(sum / 28, named!.Value, 6);

        // An id the model never trained on, or none given for the series, scores the pooled mix.
        Assert.Equal(pooled, RecentError.Of(model, [recent], 28, ["elsewhere"]).Mae);
        Assert.Equal(pooled, RecentError.Of(model, [recent], 28, []).Mae);
    }
}
