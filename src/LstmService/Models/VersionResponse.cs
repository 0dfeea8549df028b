using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Registry;

namespace LstmService.Models;

/// <summary>Everything known about one version.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version number.</param>
/// <param name="CreatedAt">When the version was stored.</param>
/// <param name="Source">trained or imported.</param>
/// <param name="JobId">Training job that created it (trained versions).</param>
/// <param name="Available">False when its weights file is missing or altered.</param>
/// <param name="UnavailableReason">Why the version can't be served.</param>
/// <param name="Aliases">Aliases pointing at this version.</param>
/// <param name="InputWindow">Values the model reads per forecast (0 for a classifier, which reads sequences of any length).</param>
/// <param name="Horizon">Maximum steps it forecasts (0 for a classifier).</param>
/// <param name="Quantiles">Quantile levels it forecasts besides the mean (none for a classifier).</param>
/// <param name="Scaling">How it scales its inputs (a classifier: seriesZScore, each feature by the training part's mean and standard deviation).</param>
/// <param name="Architecture">Network shape: per-member and merged hidden size, ensemble size, strategy, highway, season length, covariates.</param>
/// <param name="Training">Resolved training settings (trained versions).</param>
/// <param name="Timing">The training series' frequency and dates, when known: forecasts then carry timestamps.</param>
/// <param name="Metrics">Loss curve, backtest metrics next to the naive and seasonal-naive baselines, interval coverage, missing values and the search's candidates (trained versions).</param>
/// <param name="DataFingerprint">SHA-256 of the training data: per series its length (int32 LE) then its values (float32 LE, NaN for missing).</param>
/// <param name="Weights">The stored weights file.</param>
/// <param name="ParentVersion">The version this one was fine-tuned from (a warm start's initFrom.version); null when trained from scratch or imported.</param>
/// <param name="MaxTrailingGap">The most missing values a history may end with and still be forecast (through them): the larger of inputWindow and 4 × horizon; null for a classifier.</param>
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
    ArchitectureResponse Architecture,
    TrainingSettingsResponse? Training,
    TimingResponse? Timing,
    VersionMetricsResponse? Metrics,
    string? DataFingerprint,
    WeightsInfo Weights,
    int? ParentVersion = null,
    int? MaxTrailingGap = null)
{
    /// <summary>The API's view of a stored version; availability and aliases come from the registry's state, not the record.</summary>
    public static VersionResponse From(VersionRecord v, string? unavailableReason, IReadOnlyList<string> aliases) => new(
        v.Model, v.Version, v.CreatedAt, v.Source, v.JobId, unavailableReason is null, unavailableReason, aliases,
        v.InputWindow, v.Horizon, v.Quantiles, v.Scaling, ArchitectureResponse.From(v.Architecture), TrainingSettingsResponse.From(v.Training),
        TimingResponse.From(v.Training), VersionMetricsResponse.From(v.Metrics), v.DataFingerprint, new WeightsInfo(v.WeightsSha256, v.WeightsSize, "lstm-binary"),
        v.Training?.ParentVersion, v.Horizon > 0 ? ForecastModel.TrailingGapLimit(v.InputWindow, v.Horizon) : null);
}
