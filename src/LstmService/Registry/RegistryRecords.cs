using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
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

/// <summary>The model's shape: the network (for an ensemble, its members merged block-diagonally into one network whose output is their average, which is what the weights download holds), the linear highway, the strategy and the covariates it reads. Versions stored before ensembles existed read as one member without a highway.</summary>
/// <param name="InputSize">Features per time step: 1 (the target) + one per covariate + 1 when some covariates are known in advance.</param>
/// <param name="HiddenSize">Hidden units per LSTM layer of each ensemble member (as requested).</param>
/// <param name="Layers">Stacked LSTM layers.</param>
/// <param name="OutputSize">Outputs of the dense head: headSteps × (1 + number of quantiles), headSteps = horizon (direct) or 1 (recursive).</param>
/// <param name="Peepholes">Whether the cells have peephole connections.</param>
/// <param name="Dropout">Dropout between layers while training.</param>
/// <param name="Parameters">Trainable parameters of the merged network (all members).</param>
/// <param name="EnsembleSize">Networks averaged (members of the ensemble).</param>
/// <param name="Strategy">direct (all horizon steps at once) or recursive (one step, fed back).</param>
/// <param name="SeasonLength">Season length the model was built for (detected or given; 1 = none, 0 = unknown).</param>
/// <param name="Highway">The linear autoregressive highway added to the network's forecast; null without one.</param>
/// <param name="Calibrated">Whether the quantiles carry conformal offsets calibrated on validation residuals.</param>
/// <param name="Covariates">Covariates the network reads after the target, in input order.</param>
/// <param name="FutureCovariates">Those of the covariates whose values over the horizon a forecast must supply.</param>
public sealed record ArchitectureInfo(
    int InputSize,
    int HiddenSize,
    int Layers,
    int OutputSize,
    bool Peepholes,
    float Dropout,
    long Parameters,
    int EnsembleSize = 1,
    ForecastStrategy Strategy = ForecastStrategy.Direct,
    int SeasonLength = 0,
    HighwayInfo? Highway = null,
    bool Calibrated = false,
    IReadOnlyList<string>? Covariates = null,
    IReadOnlyList<string>? FutureCovariates = null)
{
    /// <summary>Hidden units per layer of the merged network: hiddenSize × ensembleSize.</summary>
    public int MergedHiddenSize => HiddenSize * EnsembleSize;

    public IReadOnlyList<string> Covariates { get; init; } = Covariates ?? [];

    public IReadOnlyList<string> FutureCovariates { get; init; } = FutureCovariates ?? [];

    public static ArchitectureInfo Of(ForecastModel model)
    {
        var c = model.Network.Config;
        var members = Math.Max(1, model.EnsembleSize);
        return new(c.InputSize, c.HiddenSize / members, c.Layers, c.OutputSize, c.Peepholes, c.Dropout, model.Network.Parameters.LongLength,
            members, model.Strategy, model.SeasonLength, HighwayInfo.Of(model.Highway), model.Calibration is not null,
            model.Covariates.ToArray(), model.FutureCovariates.ToArray());
    }
}

/// <summary>The linear autoregressive highway (as in LSTNet): AR models fitted in closed form on the scaled windows, iterated to the horizon and averaged.</summary>
/// <param name="Orders">Lags each AR model reads (the orders that validated best).</param>
/// <param name="Window">Values the highway reads: the highest order (at most the input window).</param>
/// <param name="Relative">Differenced form (models the next value relative to the last one; goes with windowLevel scaling).</param>
/// <param name="Map">Given as its composed linear map (a registered state_dict's highway.weight/bias) rather than as AR coefficients.</param>
public sealed record HighwayInfo(IReadOnlyList<int> Orders, int Window, bool Relative, bool Map)
{
    public static HighwayInfo? Of(LinearHighway? highway) =>
        highway is null ? null : new(highway.Orders.ToArray(), highway.MaxOrder, highway.Relative, highway.IsMap);
}

/// <summary>How well training went and how the model compares with naive baselines on the validation part.</summary>
/// <param name="EpochsRun">Epochs actually run (early stopping may end sooner).</param>
/// <param name="BestEpoch">Epoch whose weights were kept.</param>
/// <param name="Loss">Summary of the loss curve.</param>
/// <param name="Backtest">Rolling-origin accuracy on the validation part, model and naive / seasonal-naive baselines side by side, and interval coverage.</param>
/// <param name="Series">Series trained on.</param>
/// <param name="Points">Values in all series.</param>
/// <param name="MissingValues">Values that were missing (null).</param>
/// <param name="LossCurve">Loss per epoch (index 0 = epoch 1); null for versions stored before it was kept here.</param>
/// <param name="Search">With search: every candidate tried, its best validation loss and which was chosen; null otherwise.</param>
public sealed record VersionMetrics(
    int EpochsRun,
    int BestEpoch,
    LossSummary Loss,
    BacktestSummary? Backtest,
    int Series,
    long Points,
    int MissingValues,
    LossCurve? LossCurve = null,
    IReadOnlyList<SearchCandidateInfo>? Search = null);

/// <summary>One candidate of the hyperparameter search.</summary>
/// <param name="Name">What the candidate changed ("as requested", "hiddenSize 64", ...).</param>
/// <param name="ValidationLoss">Its best validation loss (null when it could not be trained, e.g. a window too long for the data).</param>
/// <param name="Chosen">Whether this candidate was trained into the version.</param>
/// <param name="InputWindow">Its input window (0 = chosen from the data).</param>
/// <param name="HiddenSize">Its hidden units per member.</param>
/// <param name="Layers">Its layers.</param>
/// <param name="LearningRate">Its learning rate.</param>
public sealed record SearchCandidateInfo(string Name, double? ValidationLoss, bool Chosen, int InputWindow, int HiddenSize, int Layers, float LearningRate)
{
    public static SearchCandidateInfo Of(SearchCandidate c) =>
        new(c.Name, Finite.OrNull(c.ValidationLoss), c.Chosen, c.Options.InputWindow, c.Options.HiddenSize, c.Options.Layers, c.Options.LearningRate);
}

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
