using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace LstmService.Forecasts;

/// <summary>Body of POST /models/{name}/forecast: one or many series, forecast as one batch.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ForecastRequest
{
    /// <summary>The series to forecast; each history needs at least the model's inputWindow values.</summary>
    [Required]
    public IReadOnlyList<ForecastSeriesInput>? Series { get; init; }
    /// <summary>Steps to forecast, 1..the model's horizon (default: the model's horizon).</summary>
    public int? Horizon { get; init; }
}

/// <summary>One series to forecast.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ForecastSeriesInput
{
    /// <summary>Optional name, echoed in the answer (default: the series' index).</summary>
    public string? Id { get; init; }
    /// <summary>Past values in time order, at least the model's inputWindow; null marks a missing value (at most half of the last window).</summary>
    [Required]
    public IReadOnlyList<double?>? History { get; init; }
    /// <summary>For a model trained with covariates: each covariate's history, name → values aligned with history (same length; null marks a missing value). The version's architecture.covariates lists the names.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? Covariates { get; init; }
    /// <summary>For covariates known in advance (the version's architecture.futureCovariates): name → their values over the next horizon steps (at least as many as the steps asked for).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? FutureCovariates { get; init; }
}

/// <summary>Forecasts of one model version.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version that forecast.</param>
/// <param name="Horizon">Steps forecast.</param>
/// <param name="Forecasts">One per requested series, in request order.</param>
public sealed record ForecastResponse(string Model, int Version, int Horizon, IReadOnlyList<SeriesForecastResponse> Forecasts);

/// <summary>One series' forecast.</summary>
/// <param name="Id">The series' id from the request, or its index.</param>
/// <param name="Mean">Point forecast per step.</param>
/// <param name="Quantiles">Quantile level (e.g. "0.1") → forecast per step; levels never cross.</param>
public sealed record SeriesForecastResponse(string Id, IReadOnlyList<float> Mean, IReadOnlyDictionary<string, float[]> Quantiles);
