using LstmService.Forecasting.Classification;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Statistics;
using LstmService.Kernels;

namespace LstmService.Registry;

/// <summary>The model's shape: the network (for an ensemble, its members merged block-diagonally into one network whose output is their average, which is what the weights download holds), the linear highway, the strategy and the covariates it reads. Versions stored before ensembles existed read as one member without a highway.</summary>
/// <param name="InputSize">Features per time step: 1 (the target) + one per covariate + 1 when some covariates are known in advance.</param>
/// <param name="HiddenSize">Hidden units per recurrent layer (GRU by default, LSTM with cell: lstm) of each ensemble member (as requested).</param>
/// <param name="Layers">Stacked recurrent layers.</param>
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
/// <param name="Transform">The scale the model works on: none or log.</param>
/// <param name="NonNegative">Whether forecasts and quantiles are clamped at zero (asked for: always; chosen from the training data: unless a history's input window holds a negative value).</param>
/// <param name="Statistics">The classical forecasters mixed with the network and their weights; null without them.</param>
/// <param name="Task">forecasting, or classification (then OutputSize is the number of classes, and Classes names them).</param>
/// <param name="Classes">A classifier's class labels in the order of its outputs; null for a forecaster.</param>
/// <param name="Cell">The recurrent cell, lstm or gru (versions stored before the GRU read as lstm).</param>
/// <param name="UpperBound">The value forecasts and quantiles are clamped at from above (asked for in training); null: none.</param>
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
    IReadOnlyList<string>? FutureCovariates = null,
    SeriesTransform Transform = SeriesTransform.None,
    bool NonNegative = false,
    StatisticsInfo? Statistics = null,
    ModelTask Task = ModelTask.Forecasting,
    IReadOnlyList<string>? Classes = null,
    RecurrentCell Cell = RecurrentCell.Lstm,
    float? UpperBound = null)
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
            model.Covariates.ToArray(), model.FutureCovariates.ToArray(), model.Transform, model.NonNegative, StatisticsInfo.Of(model.Statistics, model.CorrectionScale, model.Covariates, model.SeriesIntervalScales?.Count ?? 0, model.SeriesMixWeights?.Count ?? 0), Cell: c.Cell,
            UpperBound: model.UpperBound);
    }

    /// <summary>A classifier's shape: one network, its head one output per class; covariates as it reads them.</summary>
    public static ArchitectureInfo Of(SequenceClassifier model) => new(
        model.InputSize, model.HiddenSize, model.Layers, model.Classes.Count, model.Peepholes, model.Dropout, model.ParameterCount,
        SeasonLength: 0, Covariates: model.Covariates.ToArray(), Task: ModelTask.Classification, Classes: model.Classes.ToArray(), Cell: model.Cell);
}
