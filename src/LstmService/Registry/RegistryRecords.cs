using LstmService.Kernels.Forecasting;
using LstmService.Training;

namespace LstmService.Registry;

// Storage types: what the registry reads from and writes to SQLite. Endpoints map them to their own response records.

public sealed record ModelRecord(string Name, DateTimeOffset CreatedAt);

public sealed record VersionRecord(
    string Model,
    int Version,
    DateTimeOffset CreatedAt,
    VersionSource Source,
    Guid? JobId,
    int InputWindow,
    int Horizon,
    float[] Quantiles,
    ScalingMode Scaling,
    ArchitectureInfo Architecture,
    TrainingSettings? Training,
    VersionMetrics? Metrics,
    string? DataFingerprint,
    string WeightsSha256,
    long WeightsSize);

public sealed record AliasRecord(string Model, string Alias, int Version, DateTimeOffset UpdatedAt);

/// <summary>How a version came to be.</summary>
public enum VersionSource
{
    /// <summary>Trained by a training job of this service.</summary>
    Trained,
    /// <summary>Registered from a state_dict (for example exported from PyTorch).</summary>
    Imported,
}

/// <summary>What <see cref="ModelRegistry.AddVersion"/> stores besides the weights.</summary>
public sealed record NewVersion(
    string Model,
    ForecastModel Forecaster,
    VersionSource Source,
    Guid? JobId = null,
    TrainingSettings? Training = null,
    VersionMetrics? Metrics = null,
    string? DataFingerprint = null);

// Value documents stored as JSON columns and returned as they are by the API.

/// <summary>The network's shape.</summary>
/// <param name="InputSize">Features per time step.</param>
/// <param name="HiddenSize">Hidden units per LSTM layer.</param>
/// <param name="Layers">Stacked LSTM layers.</param>
/// <param name="OutputSize">Outputs of the dense head: horizon × (1 + number of quantiles).</param>
/// <param name="Peepholes">Whether the cells have peephole connections.</param>
/// <param name="Dropout">Dropout between layers while training.</param>
/// <param name="Parameters">Number of trainable parameters.</param>
public sealed record ArchitectureInfo(int InputSize, int HiddenSize, int Layers, int OutputSize, bool Peepholes, float Dropout, long Parameters)
{
    public static ArchitectureInfo Of(ForecastModel model)
    {
        var c = model.Network.Config;
        return new(c.InputSize, c.HiddenSize, c.Layers, c.OutputSize, c.Peepholes, c.Dropout, model.Network.Parameters.LongLength);
    }
}

/// <summary>How well training went and how the model compares with naive baselines on the validation part.</summary>
/// <param name="EpochsRun">Epochs actually run (early stopping may end sooner).</param>
/// <param name="BestEpoch">Epoch whose weights were kept.</param>
/// <param name="Loss">Summary of the loss curve (the full curve is on the training job).</param>
/// <param name="Backtest">Rolling-origin accuracy on the validation part, model and baselines side by side.</param>
/// <param name="Series">Series trained on.</param>
/// <param name="Points">Values in all series.</param>
/// <param name="MissingValues">Values that were missing (null).</param>
public sealed record VersionMetrics(int EpochsRun, int BestEpoch, LossSummary Loss, BacktestSummary? Backtest, int Series, long Points, int MissingValues);

/// <summary>Loss curve summary; null where a loss was not finite (for example no validation part).</summary>
public sealed record LossSummary(double? InitialTrainLoss, double? FinalTrainLoss, double? TrainLossAtBestEpoch, double? BestValidationLoss, double? FinalValidationLoss);

/// <summary>Backtest metrics over the validation part.</summary>
/// <param name="Model">The trained model's accuracy.</param>
/// <param name="Naive">The naive (last value) forecast's accuracy.</param>
/// <param name="SeasonalNaive">The seasonal naive forecast's accuracy.</param>
/// <param name="SeasonLength">Season length used by the seasonal naive forecast and MASE.</param>
/// <param name="IntervalCoverage">Share of validation points inside each interval, e.g. "0.1-0.9".</param>
public sealed record BacktestSummary(AccuracyInfo Model, AccuracyInfo Naive, AccuracyInfo SeasonalNaive, int SeasonLength, IReadOnlyDictionary<string, double?> IntervalCoverage)
{
    public static BacktestSummary Of(BacktestMetrics m) => new(
        AccuracyInfo.Of(m.Model), AccuracyInfo.Of(m.Naive), AccuracyInfo.Of(m.SeasonalNaive), m.SeasonLength,
        m.IntervalCoverage.ToDictionary(kv => kv.Key, kv => Finite.OrNull(kv.Value)));
}

/// <summary>RMSE, MAE, MASE, sMAPE (percent) over <paramref name="Points"/> forecast points; null where undefined.</summary>
public sealed record AccuracyInfo(double? Rmse, double? Mae, double? Mase, double? Smape, int Points)
{
    public static AccuracyInfo Of(AccuracyMetrics m) =>
        new(Finite.OrNull(m.Rmse), Finite.OrNull(m.Mae), Finite.OrNull(m.Mase), Finite.OrNull(m.Smape), m.Points);
}

/// <summary>JSON has no NaN or Infinity: such values leave the service as null.</summary>
public static class Finite
{
    public static double? OrNull(double value) => double.IsFinite(value) ? value : null;
}
