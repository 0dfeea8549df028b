using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
using LstmService.TestSupport;

namespace LstmService.Forecasting.Tests;

/// <summary>A backtest that scores nothing says why (a version's metrics had all been null without a word).</summary>
public class BacktestNoteTests
{
    static float[] Noisy(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => 10 + 5 * MathF.Sin(t / 2f) + 0.3f * t + (float)rng.NextGaussian()).ToArray();
    }

    static TrainingOptions Options(int horizon) => new() { Horizon = horizon, HiddenSize = 8, Epochs = 3, Ensemble = 1, Seed = 5 };

    [Fact]
    public void A_series_too_short_for_its_horizon_names_the_length_a_backtest_needs()
    {
        var result = ForecastTrainer.Train([Noisy(30, 1)], Options(20));

        Assert.Equal(0, result.Metrics.Model.Points);
        // One horizon held out after max(window, 2) + horizon training values and one more horizon of windows: 2 + 3 x 20.
        Assert.Contains("needs 62 values or more", result.Metrics.Note);
        Assert.Contains("shorter horizon", result.Metrics.Note);
    }

    [Fact]
    public void A_horizon_of_one_is_told_to_train_on_a_longer_series_alone()
    {
        // A QA pass: three values and a horizon of 1 were told "(1 values)" and to train with a shorter horizon, which there is not.
        var note = ForecastTrainer.Train([Noisy(4, 3)], Options(1)).Metrics.Note;
        Assert.Contains("(1 value)", note);
        Assert.Contains("Train on a longer series to see one", note);
        Assert.DoesNotContain("shorter horizon", note);
    }

    [Fact]
    public void The_length_named_is_the_first_that_holds_out_a_validation_part()
    {
        var result = ForecastTrainer.Train([Noisy(62, 2)], Options(20));
        Assert.True(result.Metrics.Model.Points > 0);
        Assert.Null(result.Metrics.Note);
        Assert.Equal(0, SeriesSet.ValidationLength(61, Options(20)));
    }

    [Theory]
    [InlineData(20, 0.2f, 0, 62)]
    [InlineData(5, 0.5f, 0, 24)]  // half held out: 23 values keep 11 for training, one short of 7 + 5
    [InlineData(4, 0.2f, 30, 47)] // a requested window: a fifth held out (9 of 47) after 30 + 4 + 4 training values
    public void The_shortest_length_with_a_validation_part_is_exact(int horizon, float fraction, int window, int shortest)
    {
        var options = new TrainingOptions { Horizon = horizon, ValidationFraction = fraction, InputWindow = window };
        Assert.Equal(shortest, SeriesSet.ShortestWithValidation(options));
        Assert.True(SeriesSet.ValidationLength(shortest, options) > 0);
        Assert.Equal(0, SeriesSet.ValidationLength(shortest - 1, options));
    }
}
