using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.TestSupport;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// <see cref="TrainingOptions.UpperBound"/>: a bounded series' forecasts and quantiles never pass the bound (one-off, streamed,
/// through a trailing gap, after a save and a state dict's round trip), and a training value above it is refused naming it.
/// </summary>
public class UpperBoundTests
{
    /// <summary>A QA pass's occupancy: a monthly season and a slow rise, capped at 100 (a third of the values at the cap).</summary>
    static float[] Occupancy(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length)
            .Select(t => MathF.Min(100f, 85 + 18 * MathF.Sin(2 * MathF.PI * t / 12) + 0.15f * t + 2 * (float)rng.NextGaussian())).ToArray();
    }

    static TrainingOptions Options(float? bound) => new() { Horizon = 12, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42, UpperBound = bound };

    static IEnumerable<float> Values(SeriesForecast f) => f.Mean.Concat(f.Quantiles.Values.SelectMany(q => q));

    [Fact]
    public void Forecasts_and_quantiles_stay_at_or_below_the_bound()
    {
        var series = Occupancy(72, 1);
        var unbounded = ForecastTrainer.Train([series], Options(null)).Model;
        // Without the bound the season's peaks and their 0.9 quantiles pass 100 (what the QA pass saw: up to 108.6).
        Assert.Contains(Values(unbounded.Forecast([series])[0]), v => v > 100.5f);
        var result = ForecastTrainer.Train([series], Options(100));
        var model = result.Model;
        Assert.Equal(100f, model.UpperBound);
        var forecast = model.Forecast([series])[0];
        Assert.All(Values(forecast), v => Assert.True(v <= 100f, $"{v} passes the bound"));
        Assert.Contains(forecast.Quantiles[0.9f], v => v == 100f);
        // Below the bound the forecast is the unbounded model's: the clamp moves nothing else.
        var free = unbounded.Forecast([series])[0];
        for (int t = 0; t < 12; t++)
            if (free.Mean[t] < 100f) Assert.Equal(free.Mean[t], forecast.Mean[t]);

        // A stream, and a history whose last values are missing (filled by the model's own bounded forecasts), alike.
        var stream = model.NewState(series[..60]);
        foreach (var v in series[60..]) model.Append(stream, v);
        Assert.Equal(forecast.Mean, model.Forecast(stream).Mean);
        var gapped = series.Concat(Enumerable.Repeat(float.NaN, 5)).ToArray();
        Assert.All(Values(model.Forecast([gapped])[0]), v => Assert.True(v <= 100f, $"{v} passes the bound"));
    }

    [Fact]
    public void The_bound_survives_a_save_and_a_state_dict()
    {
        var series = Occupancy(72, 2);
        var model = ForecastTrainer.Train([series], Options(100)).Model;
        var expected = model.Forecast([series])[0];
        using var file = new MemoryStream();
        model.Save(file);
        file.Position = 0;
        var loaded = ForecastModel.Load(file);
        Assert.Equal(100f, loaded.UpperBound);
        Assert.Equal(expected.Mean, loaded.Forecast([series])[0].Mean);
        var json = model.ToStateDictJson();
        Assert.Contains("\"upperBound\":100", json);
        var imported = ForecastModel.FromStateDict(json);
        Assert.Equal(100f, imported.UpperBound);
        Assert.Equal(expected.Quantiles[0.9f], imported.Forecast([series])[0].Quantiles[0.9f]);
        var edited = json.Replace("\"upperBound\":100", "\"upperBound\":\"high\"", StringComparison.Ordinal);
        Assert.Contains("_forecast.upperBound", Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(edited)).Message);
    }

    [Fact]
    public void A_training_value_above_the_bound_is_refused_naming_it()
    {
        var series = Occupancy(72, 3);
        series[40] = 100.5f;
        var problem = Assert.Single(ForecastTrainer.Check([new TrainingSeries(series)], Options(100)));
        Assert.Equal("series[0].values[40]", problem.Field);
        Assert.Contains("above upperBound 100", problem.Message);
        Assert.Equal("upperBound", Assert.Single(ForecastTrainer.Check([new TrainingSeries(Occupancy(72, 3))], Options(float.PositiveInfinity))).Field);
        Assert.Equal("upperBound", Assert.Single(ForecastTrainer.Check([new TrainingSeries(Occupancy(72, 3).Select(v => v - 200).ToArray())],
            Options(-50) with { NonNegative = true })).Field);
    }

    [Fact]
    public void A_log_scale_model_is_bounded_on_the_series_scale()
    {
        // A share rising along a logistic curve toward 1, positive throughout: the log scale may be chosen, and its growth carried on.
        var rng = new SeededRandom(4);
        var share = Enumerable.Range(0, 60).Select(t => MathF.Min(1f, 1f / (1 + MathF.Exp(-(t - 40) / 6f)) * (1 + 0.02f * (float)rng.NextGaussian()))).ToArray();
        var model = ForecastTrainer.Train([share], Options(1) with { Transform = Statistics.SeriesTransform.Log }).Model;
        Assert.All(Values(model.Forecast([share])[0]), v => Assert.True(v <= 1f, $"{v} passes the bound"));
    }
}
