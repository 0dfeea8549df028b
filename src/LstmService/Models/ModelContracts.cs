using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Registry;
using LstmService.Training;

namespace LstmService.Models;

/// <summary>A model in the list.</summary>
/// <param name="Name">Model name.</param>
/// <param name="CreatedAt">When the model was created (first training job or registration).</param>
/// <param name="Versions">Number of versions.</param>
/// <param name="LatestVersion">Newest version, null while the model has none.</param>
/// <param name="Aliases">Alias → version.</param>
public sealed record ModelSummaryResponse(string Name, DateTimeOffset CreatedAt, int Versions, int? LatestVersion, IReadOnlyDictionary<string, int> Aliases);

/// <summary>A model with its versions and aliases.</summary>
/// <param name="Name">Model name.</param>
/// <param name="CreatedAt">When the model was created.</param>
/// <param name="LatestVersion">Newest version, null while the model has none.</param>
/// <param name="Versions">Versions, oldest first.</param>
/// <param name="Aliases">Alias → version.</param>
public sealed record ModelResponse(string Name, DateTimeOffset CreatedAt, int? LatestVersion, IReadOnlyList<VersionSummaryResponse> Versions, IReadOnlyDictionary<string, int> Aliases);

/// <summary>One version in a model's listing.</summary>
/// <param name="Version">Version number (never reused within a model).</param>
/// <param name="CreatedAt">When the version was stored.</param>
/// <param name="Source">trained or imported.</param>
/// <param name="Available">False when its weights file is missing or altered (forecasts answer 409).</param>
/// <param name="InputWindow">Values the model reads per forecast.</param>
/// <param name="Horizon">Maximum steps it forecasts.</param>
/// <param name="JobId">Training job that created it (trained versions).</param>
public sealed record VersionSummaryResponse(int Version, DateTimeOffset CreatedAt, VersionSource Source, bool Available, int InputWindow, int Horizon, Guid? JobId);

/// <summary>Everything known about one version.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version number.</param>
/// <param name="CreatedAt">When the version was stored.</param>
/// <param name="Source">trained or imported.</param>
/// <param name="JobId">Training job that created it (trained versions).</param>
/// <param name="Available">False when its weights file is missing or altered.</param>
/// <param name="UnavailableReason">Why the version can't be served.</param>
/// <param name="Aliases">Aliases pointing at this version.</param>
/// <param name="InputWindow">Values the model reads per forecast.</param>
/// <param name="Horizon">Maximum steps it forecasts.</param>
/// <param name="Quantiles">Quantile levels it forecasts besides the mean.</param>
/// <param name="Scaling">How it scales its inputs.</param>
/// <param name="Architecture">Network shape: per-member and merged hidden size, ensemble size, strategy, highway, season length, covariates.</param>
/// <param name="Training">Resolved training settings (trained versions).</param>
/// <param name="Metrics">Loss curve, backtest metrics next to the naive and seasonal-naive baselines, interval coverage, missing values and the search's candidates (trained versions).</param>
/// <param name="DataFingerprint">SHA-256 of the training data: per series its length (int32 LE) then its values (float32 LE, NaN for missing).</param>
/// <param name="Weights">The stored weights file.</param>
public sealed record VersionResponse(
    string Model,
    int Version,
    DateTimeOffset CreatedAt,
    VersionSource Source,
    Guid? JobId,
    bool Available,
    string? UnavailableReason,
    IReadOnlyList<string> Aliases,
    int InputWindow,
    int Horizon,
    IReadOnlyList<float> Quantiles,
    ScalingMode Scaling,
    ArchitectureInfo Architecture,
    TrainingSettings? Training,
    VersionMetrics? Metrics,
    string? DataFingerprint,
    WeightsInfo Weights);

/// <summary>A stored weights file.</summary>
/// <param name="Sha256">SHA-256 of the file (also its name in the data directory).</param>
/// <param name="SizeBytes">File size.</param>
/// <param name="Format">The library's binary format; GET .../weights?format=torch gives the state_dict JSON.</param>
public sealed record WeightsInfo(string Sha256, long SizeBytes, string Format);

/// <summary>Body of PUT /models/{name}/aliases/{alias}.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SetAliasRequest
{
    /// <summary>Version the alias points to.</summary>
    [Required]
    public int? Version { get; init; }
}

/// <summary>An alias.</summary>
public sealed record AliasResponse(string Model, string Alias, int Version, DateTimeOffset UpdatedAt);

/// <summary>Body of POST /models/{name}/versions: a PyTorch-style state_dict and the forecast settings it was trained with.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterVersionRequest
{
    /// <summary>{"lstm.weight_ih_l0": {"shape": [4H, 1], "data": [...]}, ..., "head.weight": {...}, "head.bias": {...}}: nn.LSTM (batch_first) + nn.Linear named lstm.* and head.*; optionally "highway.weight" [headSteps, inputWindow] and "highway.bias" [headSteps] (a linear map of the scaled window added to every head block) and "calibration" [quantiles, horizon] (offsets added to the quantile blocks), as GET .../weights?format=torch exports them, with the forecast settings under the non-tensor key "_forecast".</summary>
    [Required]
    public JsonElement? StateDict { get; init; }
    /// <summary>Values the model reads per forecast (1..1024). Required unless stateDict carries "_forecast" settings (as exported), with which it must agree.</summary>
    public int? InputWindow { get; init; }
    /// <summary>Steps the head forecasts (1..365); the head has horizon × (1 + number of quantiles) outputs. Required unless stateDict carries "_forecast" settings, with which it must agree.</summary>
    public int? Horizon { get; init; }
    /// <summary>Quantile levels of the head's interval outputs, in increasing order; omitted: those of stateDict's "_forecast", else none (a mean-only head).</summary>
    public IReadOnlyList<double>? Quantiles { get; init; }
    /// <summary>How inputs are scaled; omitted: stateDict's "_forecast" scaling, else windowLevel (as the service trains).</summary>
    public ScalingMode? Scaling { get; init; }
    /// <summary>direct: the head holds all horizon steps; recursive: the head holds one step (1 + quantiles outputs), fed back horizon times. Omitted: stateDict's "_forecast" strategy, else direct.</summary>
    public ForecastStrategy? Strategy { get; init; }
}
