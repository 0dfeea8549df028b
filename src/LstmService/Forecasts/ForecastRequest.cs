using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace LstmService.Forecasts;

/// <summary>Body of POST /models/{name}/forecast: one or many series, forecast as one batch.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ForecastRequest
{
    /// <summary>The series to forecast; each history needs at least the model's inputWindow values (two periods from the first observed value where the theta method alone repeats its season).</summary>
    [Required]
    public IReadOnlyList<ForecastSeriesInput>? Series { get; init; }
    /// <summary>Steps to forecast, 1..the model's horizon (default: the model's horizon).</summary>
    public int? Horizon { get; init; }
    /// <summary>How often the histories are sampled (yearly, quarterly, monthly, weekly, daily, hourly, half-hourly, 30min, 2h, or an ISO 8601 duration such as P1M); default: the version's own (its timing.frequency), else the step the series' timestamps show. Dates the histories with their start or timestamps.</summary>
    public string? Frequency { get; init; }
}
