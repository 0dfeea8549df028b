using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>ForecastTrainer.Validate / Check: every up-front rule of Train, named by the request field's path.</summary>
public class ForecastingValidationTests
{
    static readonly TrainingOptions Options = new() { InputWindow = 8, Horizon = 2, HiddenSize = 4, Epochs = 1, Ensemble = 1 };

    static float[] Sine(int n) => Enumerable.Range(0, n).Select(t => (float)Math.Sin(t * 0.3)).ToArray();

    static Dictionary<string, float[]> Covariates(params (string Name, float[] Values)[] items) =>
        items.ToDictionary(i => i.Name, i => i.Values, StringComparer.Ordinal);

    [Fact]
    public void Valid_input_passes_and_trains()
    {
        ForecastTrainer.Validate([Sine(60)], Options);
        ForecastTrainer.Validate([new TrainingSeries(Sine(60), Covariates(("temp", Sine(60))))], Options with { FutureCovariates = ["temp"] });
        Assert.Empty(ForecastTrainer.Check([new TrainingSeries(Sine(60))], Options));
    }

    [Theory]
    [InlineData("inputWindow")]
    [InlineData("inputWindow=1")]
    [InlineData("horizon")]
    [InlineData("ensemble")]
    [InlineData("quantiles[1]")]
    public void Options_out_of_bounds_are_named(string field)
    {
        var options = field switch
        {
            "inputWindow" => Options with { InputWindow = -1 },
            "inputWindow=1" => Options with { InputWindow = 1 }, // no window: the highway's autoregression reads two values
            "horizon" => Options with { Horizon = 0 },
            "ensemble" => Options with { HiddenSize = 2048, Ensemble = 5 },
            _ => Options with { Quantiles = [0.1f, 1.5f] },
        };
        field = field.Split('=')[0];
        var e = Assert.ThrowsAny<ArgumentException>(() => ForecastTrainer.Validate([Sine(60)], options));
        Assert.Equal(field, e.ParamName);
        // Train goes through the same checks.
        Assert.Equal(field, Assert.ThrowsAny<ArgumentException>(() => ForecastTrainer.Train([Sine(60)], options)).ParamName);
    }

    [Fact]
    public void Series_problems_are_named_by_their_path_and_all_reported_by_check()
    {
        var gappy = Sine(60);
        for (int i = 10; i < 50; i++) gappy[i] = float.NaN;
        var infinite = Sine(60);
        infinite[5] = float.PositiveInfinity;
        var shortCovariate = Sine(59);
        var series = new TrainingSeries[]
        {
            new(Sine(60), Covariates(("temp", Sine(60)), ("price", shortCovariate))),
            new(Sine(9), Covariates(("temp", Sine(9)), ("price", Sine(9)))),   // too short: 8 + 2 needed
            new(gappy, Covariates(("temp", Sine(60)), ("price", Sine(60)))),
            new(infinite, Covariates(("temp", Sine(60)))),                     // lacks price
        };
        var problems = ForecastTrainer.Check(series, Options with { FutureCovariates = ["temp", "wind", "temp"] });
        Assert.Equal(
            ["series[0].covariates.price", "series[1].values", "series[2].values", "series[3].values[5]", "series[3].covariates", "futureCovariates[1]", "futureCovariates[2]"],
            problems.Select(p => p.Field));
        Assert.Contains("59", problems[0].Message);
        Assert.StartsWith("Too short", problems[1].Message);
        Assert.StartsWith("Mostly missing", problems[2].Message);
        Assert.Contains("same covariates", problems[4].Message);
        Assert.Contains("price, temp", problems[5].Message);
        Assert.Contains("Duplicate", problems[6].Message);
        // Validate throws the first.
        Assert.Equal("series[0].covariates.price", Assert.Throws<ArgumentException>(() => ForecastTrainer.Validate(series, Options)).ParamName);
    }

    [Fact]
    public void Covariates_and_known_future_need_the_direct_strategy()
    {
        var recursive = Options with { Strategy = ForecastStrategy.Recursive };
        var withCovariate = new TrainingSeries(Sine(60), Covariates(("temp", Sine(60))));
        Assert.Equal("strategy", Assert.Throws<ArgumentException>(() => ForecastTrainer.Validate([withCovariate], recursive)).ParamName);
        var problems = ForecastTrainer.Check([new TrainingSeries(Sine(60))], recursive with { FutureCovariates = ["temp"] });
        Assert.Equal(["futureCovariates[0]", "strategy"], problems.Select(p => p.Field));
        Assert.Contains("none", problems[0].Message);
    }

    [Fact]
    public void The_float_overload_and_null_series_are_checked()
    {
        Assert.Equal("series[1]", Assert.Throws<ArgumentException>(() => ForecastTrainer.Validate([Sine(60), null!], Options)).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => ForecastTrainer.Validate(Array.Empty<float[]>(), Options)).ParamName);
        Assert.Throws<ArgumentNullException>(() => ForecastTrainer.Validate((IReadOnlyList<float[]>)null!, Options));
        // The minimum for a window chosen from the data is 2 + horizon observed values.
        ForecastTrainer.Validate([Sine(4)], Options with { InputWindow = 0 });
        Assert.Equal("series[0].values", Assert.Throws<ArgumentException>(() => ForecastTrainer.Validate([Sine(3)], Options with { InputWindow = 0 })).ParamName);
        // The length rule is skipped while the option it depends on is out of bounds (the option is named instead).
        Assert.Equal(["horizon"], ForecastTrainer.Check([new TrainingSeries(Sine(3))], Options with { Horizon = 0 }).Select(p => p.Field));
    }
    [Fact]
    public void A_log_transform_needs_positive_values_and_a_log_model_a_positive_history()
    {
        var values = Sine(60).Select(v => v + 2).ToArray();
        Assert.Empty(ForecastTrainer.Check([new TrainingSeries(values)], Options with { Transform = Statistics.SeriesTransform.Log }));
        values[9] = 0;
        var problem = Assert.Single(ForecastTrainer.Check([new TrainingSeries(values)], Options with { Transform = Statistics.SeriesTransform.Log }));
        Assert.Equal("transform", problem.Field);
        Assert.Contains("series[0].values[9]", problem.Message);

        values[9] = 2;
        var model = ForecastTrainer.Train([values], Options with { Transform = Statistics.SeriesTransform.Log }).Model;
        var history = values[..8];
        Assert.All(model.Forecast([history])[0].Mean, m => Assert.True(m > 0));
        history[3] = -1;
        var e = Assert.Throws<ArgumentException>(() => model.Forecast([values[..8], history]));
        Assert.Equal("series[1]", e.ParamName);
        Assert.Contains("log scale", e.Message);
    }

    [Fact]
    public void Values_further_apart_than_a_float_holds_are_named_by_the_value_out_of_scale()
    {
        // 2e38 and -1.9e38 are each a float, but their difference is not: training used to diverge at epoch 1 with advice
        // to lower the learning rate.
        var values = Sine(60);
        values[20] = 2e38f;
        values[30] = -1.9e38f;
        var problem = Assert.Single(ForecastTrainer.Check([new TrainingSeries(values)], Options));
        Assert.Equal("series[0].values[20]", problem.Field);
        Assert.Contains("series[0].values[30]", problem.Message);
        Assert.Contains("Rescale", problem.Message);
        Assert.Equal("series[0].values[20]", Assert.ThrowsAny<ArgumentException>(() => ForecastTrainer.Train([values], Options)).ParamName);

        // The value of larger magnitude is the one named, low or high; covariates are held to the same rule.
        values[20] = 1f;
        values[35] = 1.8e38f;
        values[30] = -3e38f;
        Assert.Equal("series[0].values[30]", Assert.Single(ForecastTrainer.Check([new TrainingSeries(values)], Options)).Field);
        var covariate = Sine(60);
        covariate[7] = float.MaxValue;
        covariate[8] = -1e37f;
        Assert.Equal("series[0].covariates.temp[7]",
            Assert.Single(ForecastTrainer.Check([new TrainingSeries(Sine(60), Covariates(("temp", covariate)))], Options)).Field);

        // Extreme values whose differences stay within the float range are the model's to handle: they train.
        values[30] = -1.5e38f;
        values[35] = 1.5e38f;
        Assert.Empty(ForecastTrainer.Check([new TrainingSeries(values)], Options));
        var model = ForecastTrainer.Train([values], Options).Model;
        Assert.All(model.Forecast([values[^8..]])[0].Mean, m => Assert.True(float.IsFinite(m)));
    }
}
