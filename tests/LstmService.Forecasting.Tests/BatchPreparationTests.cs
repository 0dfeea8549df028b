using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A large batch reads its histories on every core (<see cref="ForecastModel.ParallelInputs"/> and more): the same forecasts,
/// bit for bit, as one series at a time, and the same error, naming the first bad series, as the sequential loop.
/// </summary>
public class BatchPreparationTests
{
    static readonly TrainingOptions Small = new() { Horizon = 4, HiddenSize = 6, Epochs = 3, Patience = 2, BatchSize = 16, Ensemble = 2, Seed = 5 };

    static float[] Seasonal(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => (float)(50 + 8 * Math.Sin(2 * Math.PI * t / 12) + 0.2 * t + rng.NextGaussian())).ToArray();
    }

    static readonly Lazy<ForecastModel> Model = new(() => ForecastTrainer.Train([Seasonal(120, 1)], Small).Model);

    [Fact]
    public void A_large_batch_forecasts_each_series_as_it_does_alone()
    {
        var model = Model.Value;
        Assert.NotNull(model.Statistics); // the default recipe: the histories run through the classical members' filters
        int count = ForecastModel.ParallelInputs * 2 + 37;
        var histories = Enumerable.Range(0, count).Select(i => Seasonal(60 + i % 50, 100 + (ulong)i)).ToList();

        var batch = model.Forecast(histories);
        Assert.Equal(count, batch.Count);
        for (int i = 0; i < count; i += 7)
        {
            var alone = model.Forecast([histories[i]])[0];
            Assert.Equal(alone.Mean, batch[i].Mean);
            foreach (var (level, values) in alone.Quantiles) Assert.Equal(values, batch[i].Quantiles[level]);
        }
    }

    [Fact]
    public void A_large_batch_names_its_first_bad_series()
    {
        var model = Model.Value;
        int count = ForecastModel.ParallelInputs * 3;
        var histories = Enumerable.Range(0, count).Select(i => Seasonal(60, 200 + (ulong)i)).ToList();
        // Bad series in several chunks, the first one not in the first chunk.
        histories[count - 3][10] = float.PositiveInfinity;
        histories[count / 2][5] = float.NegativeInfinity;
        histories[count / 3 + 1] = new float[3];

        var error = Assert.Throws<ArgumentException>(() => model.Forecast(histories));
        Assert.Equal($"series[{count / 3 + 1}]", error.ParamName);
        Assert.Contains("3 values", error.Message);
    }

    [Fact]
    public void A_cancelled_large_batch_stops()
    {
        var histories = Enumerable.Range(0, ForecastModel.ParallelInputs * 2).Select(i => Seasonal(60, 300 + (ulong)i)).ToList();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => model().Forecast(histories.Select(h => new ForecastInput(h)).ToList(), cancellationToken: cancelled.Token));
        static ForecastModel model() => Model.Value;
    }
}
