using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using LstmService.Infrastructure;

namespace LstmService.Forecasts;

/// <summary>One series to forecast.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ForecastSeriesInput
{
    /// <summary>Optional name, echoed in the answer (default: the series' index).</summary>
    public string? Id { get; init; }
    /// <summary>Past values in time order, at least the model's inputWindow (two periods from the first observed value where the theta method alone repeats its season); null marks a missing value (trailing ones are forecast through, up to the larger of the inputWindow and 4 × the horizon; at most half of the window before them).</summary>
    /// <remarks>Read straight into float32 by <see cref="NullableFloatArrayConverter"/> (null → NaN, beyond the float range → ±Infinity).</remarks>
    [Required]
    [JsonConverter(typeof(NullableFloatArrayConverter))]
    public float[]? History { get; init; }
    /// <summary>For a model trained with covariates: each covariate's history, name → values aligned with history (same length; null marks a missing value). The version's architecture.covariates lists the names.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? Covariates { get; init; }
    /// <summary>For covariates known in advance (the version's architecture.futureCovariates): name → their values over the next horizon steps (at least as many as the steps asked for and at most the version's horizon; null marks a missing value, filled from those around it, but not every one).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? FutureCovariates { get; init; }
    /// <summary>Optional time of the first history value (ISO 8601, or 2020, 2020-01, 2020-Q1): the answer then dates each forecast step. Needs a frequency (the request's or the version's).</summary>
    public string? Start { get; init; }
    /// <summary>Optional time of every history value, one per value, in any order: the history is put in time order and a missing time becomes a missing value; the answer dates each forecast step. Instead of start.</summary>
    public IReadOnlyList<string>? Timestamps { get; init; }
}
