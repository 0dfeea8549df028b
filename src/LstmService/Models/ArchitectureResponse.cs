using LstmService.Forecasting.Models;
using LstmService.Forecasting.Statistics;
using LstmService.Kernels;
using LstmService.Registry;

namespace LstmService.Models;

/// <summary>The model's shape: the network (for an ensemble, its members merged block-diagonally into one network whose output is their average, which is what the weights download holds), the linear highway, the strategy, the covariates it reads and the classical forecasters mixed with it.</summary>
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
/// <param name="MergedHiddenSize">Hidden units per layer of the merged network: hiddenSize × ensembleSize.</param>
/// <param name="Covariates">Covariates the network reads after the target, in input order.</param>
/// <param name="FutureCovariates">Those of the covariates whose values over the horizon a forecast must supply.</param>
/// <param name="Transform">The scale the model works on: none or log.</param>
/// <param name="NonNegative">Whether forecasts and quantiles are clamped at zero (asked for: always; chosen from the training data: unless a history's input window holds a negative value).</param>
/// <param name="Statistics">The classical forecasters mixed with the network and their weights; null without them.</param>
/// <param name="Task">forecasting (POST /forecast answers it) or classification (POST /classify; OutputSize is then the number of classes).</param>
/// <param name="Classes">A classifier's class labels in the order of its outputs; null for a forecaster.</param>
/// <param name="Cell">The recurrent cell: lstm (gates i, f, g, o) or gru (gates r, z, n).</param>
/// <param name="UpperBound">The value forecasts and quantiles are clamped at from above (training's upperBound); null: none.</param>
public sealed record ArchitectureResponse(
    int InputSize,
    int HiddenSize,
    int Layers,
    int OutputSize,
    bool Peepholes,
    float Dropout,
    long Parameters,
    int EnsembleSize,
    ForecastStrategy Strategy,
    int SeasonLength,
    HighwayResponse? Highway,
    bool Calibrated,
    int MergedHiddenSize,
    IReadOnlyList<string> Covariates,
    IReadOnlyList<string> FutureCovariates,
    SeriesTransform Transform,
    bool NonNegative,
    StatisticsResponse? Statistics,
    ModelTask Task,
    IReadOnlyList<string>? Classes,
    RecurrentCell Cell,
    float? UpperBound)
{
    public static ArchitectureResponse From(ArchitectureInfo a) => new(
        a.InputSize, a.HiddenSize, a.Layers, a.OutputSize, a.Peepholes, a.Dropout, a.Parameters, a.EnsembleSize, a.Strategy, a.SeasonLength,
        HighwayResponse.From(a.Highway), a.Calibrated, a.MergedHiddenSize, a.Covariates, a.FutureCovariates, a.Transform, a.NonNegative,
        StatisticsResponse.From(a.Statistics), a.Task, a.Classes, a.Cell, a.UpperBound);
}
