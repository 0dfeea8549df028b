using LstmService.Forecasts;

namespace LstmService.Tests;

/// <summary>The refusals of a covariate's future values name the one range taken, too many and too few alike.</summary>
public sealed class FutureCovariateMessageTests
{
    [Fact]
    public void Too_many_values_are_told_the_range_a_forecast_of_fewer_steps_takes()
    {
        // "at most 14" had been followed by "Too short ... give the next 14" for 5 values (a QA pass).
        Assert.Equal("Too long: 20 values, but this version's horizon is 14; give the covariate's next 7 to 14 values after the history.",
            ForecastEndpoints.FutureTooLong(20, 14, least: 7));
        Assert.Equal("Too long: 20 values, but this version's horizon is 14; give the covariate's next 14 values after the history.",
            ForecastEndpoints.FutureTooLong(20, 14, least: 14));
        Assert.StartsWith("Too short: 5 values, but 14 steps are forecast; give the covariate's next 14 values",
            ForecastEndpoints.FutureTooShort(5, 14, stream: false));
    }
}
