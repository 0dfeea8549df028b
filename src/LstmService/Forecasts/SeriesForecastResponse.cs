using System.Text.Json.Serialization;
using LstmService.Infrastructure;

namespace LstmService.Forecasts;

// Concrete array and dictionary types, so the source-generated serializer writes them with plain loops (an interface type
// costs an enumerator and an interface call per value: a 10,000-series answer writes 300,000), and their numbers formatted
// by ForecastValuesConverter (the same bytes as the built-in converter's). A comment, not the summary: the summary is the
// OpenAPI document's description.

/// <summary>One series' forecast.</summary>
/// <param name="Id">The series' id from the request, or its index.</param>
/// <param name="Mean">Point forecast per step.</param>
/// <param name="Quantiles">Quantile level (e.g. "0.1") → forecast per step; levels never cross.</param>
/// <param name="Timestamps">The time of each step (ISO 8601), when the history's timing is known: from its start or timestamps, or, for a series named like a training series, from that series' last time. Left out otherwise.</param>
/// <param name="ClampedAtZero">For a version that clamps at zero (its `architecture.nonNegative`): whether this forecast was. false where the clamp was chosen from the data and this history holds a negative value, outside what the version learned from: the forecast is then left as computed rather than turned to zeros. Left out for a version that does not clamp.</param>
/// <param name="LevelChanges">The lasting changes of level the forecast read in this history, oldest first (at most eight): the version's members, network and highway read the values before each at its new level, so the forecast starts from it. Left out when none was read.</param>
/// <param name="TrainedSeries">For a version trained on several series that keeps series' own mixing weights or interval widths (its `architecture.statistics.seriesMixWeights` and `seriesIntervalScales`): whether this forecast used them, its id naming such a series. false: the weights and width pooled over every series: no id, an id the version did not train on (check its spelling: ids are case-sensitive), or a training series too short (under 30 windows) to keep its own. Left out for other versions.</param>
public sealed record SeriesForecastResponse(
    string Id,
    [property: JsonConverter(typeof(ForecastValuesConverter))] float[] Mean,
    [property: JsonConverter(typeof(ForecastQuantilesConverter))] Dictionary<string, float[]> Quantiles,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Timestamps = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ClampedAtZero = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<LevelChangeResponse>? LevelChanges = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? TrainedSeries = null);
