using LstmService.Forecasting.Classification;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Kernels;
using LstmService.Registry;

namespace LstmService.Models;

/// <summary>The resolved settings a version was trained with: the request's values, else the defaults (see the training request for each).</summary>
public sealed record TrainingSettingsResponse
{
    /// <summary>History length the model reads; 0 means chosen from the data (the version's inputWindow is the one chosen).</summary>
    public required int InputWindow { get; init; }
    /// <summary>Steps forecast at once (1..365).</summary>
    public required int Horizon { get; init; }
    /// <summary>Hidden units per recurrent layer (GRU by default, LSTM with cell: lstm) of each ensemble member.</summary>
    public required int HiddenSize { get; init; }
    /// <summary>Stacked recurrent layers (1..8).</summary>
    public required int Layers { get; init; }
    /// <summary>Dropout between layers while training, in [0, 1).</summary>
    public required float Dropout { get; init; }
    /// <summary>Peephole connections from the cell state into the gates (LSTM only).</summary>
    public required bool Peepholes { get; init; }
    /// <summary>The recurrent cell: lstm or gru.</summary>
    public required RecurrentCell Cell { get; init; }
    /// <summary>Maximum epochs: the request's, else 200 (20 for a warm start), at most TrainingQueue:MaxEpochs; training may have stopped sooner.</summary>
    public required int Epochs { get; init; }
    /// <summary>Windows per Adam step (1..4096).</summary>
    public required int BatchSize { get; init; }
    /// <summary>Adam's learning rate, in (0, 1].</summary>
    public required float LearningRate { get; init; }
    /// <summary>Adam's decoupled weight decay, in [0, 1).</summary>
    public required float WeightDecay { get; init; }
    /// <summary>The global norm each step's gradients were clipped to (not a request field: always the default, 1).</summary>
    public required float ClipNorm { get; init; }
    /// <summary>The last share of each series (by time) held out for validation, early stopping, the backtest and the calibration, in [0, 0.5].</summary>
    public required float ValidationFraction { get; init; }
    /// <summary>Epochs without a better validation loss before training stopped early (1..1000).</summary>
    public required int Patience { get; init; }
    /// <summary>The random seed: the same request and seed give the same weights.</summary>
    public required ulong Seed { get; init; }
    /// <summary>The quantile levels of the prediction intervals, each in (0, 1); empty for a point forecast only.</summary>
    public required IReadOnlyList<float> Quantiles { get; init; }
    /// <summary>How windows are scaled: windowLevel (follows trends), seriesZScore or seriesRobust (median and IQR).</summary>
    public required ScalingMode Scaling { get; init; }
    /// <summary>Season length in steps; 0 means detected from the data, 1 none.</summary>
    public required int SeasonLength { get; init; }
    /// <summary>Networks trained from different seeds and averaged.</summary>
    public required int Ensemble { get; init; }
    /// <summary>Linear autoregressive highway added to the network's forecast.</summary>
    public required bool Highway { get; init; }
    /// <summary>Retrain on all the data for the best epoch count after early stopping.</summary>
    public required bool Refit { get; init; }
    /// <summary>Conformal calibration of the quantiles on the validation residuals, as asked; a silenced network (architecture.statistics.networkScale 0) is calibrated regardless, which architecture.calibrated shows.</summary>
    public required bool Calibrate { get; init; }
    /// <summary>Small hyperparameter search, chosen by the validation MASE of each candidate's forecast.</summary>
    public required bool Search { get; init; }
    /// <summary>Folds of the search's rolling-origin cross-validation.</summary>
    public required int SearchFolds { get; init; }
    /// <summary>direct: one pass forecasts every horizon step; recursive: one step ahead, fed back.</summary>
    public required ForecastStrategy Strategy { get; init; }
    /// <summary>Covariates known in advance (a forecast supplies their values over the horizon).</summary>
    public required IReadOnlyList<string> FutureCovariates { get; init; }
    /// <summary>Mix the network with exponential smoothing, theta and a differenced autoregression.</summary>
    public required bool Statistics { get; init; }
    /// <summary>The scale asked for; null means chosen from the data (the version's architecture says which).</summary>
    public required SeriesTransform? Transform { get; init; }
    /// <summary>Clamp forecasts at zero; null means when no training value is negative (the version's architecture says which).</summary>
    public required bool? NonNegative { get; init; }
    /// <summary>The value forecasts and quantiles are clamped at from above, as asked; null: none.</summary>
    public float? UpperBound { get; init; }
    /// <summary>The series' sampling frequency (ISO 8601 duration), given or inferred from their timestamps; null when unknown. It suggested the seasons tested.</summary>
    public string? Frequency { get; init; }
    /// <summary>The version this one was fine-tuned from (initFrom.version); null when trained from scratch.</summary>
    public int? ParentVersion { get; init; }
    /// <summary>forecasting, or classification (then the forecasting fields above are unused defaults).</summary>
    public ModelTask Task { get; init; }
    /// <summary>Classification: stratified or time.</summary>
    public ValidationSplit? ValidationSplit { get; init; }
    /// <summary>Classification: the requested weight per label; null means balanced (the version's metrics.classification.classWeights has the weights used).</summary>
    public IReadOnlyDictionary<string, float>? ClassWeights { get; init; }

    public static TrainingSettingsResponse? From(TrainingSettings? s) => s is null ? null : new()
    {
        InputWindow = s.InputWindow,
        Horizon = s.Horizon,
        HiddenSize = s.HiddenSize,
        Layers = s.Layers,
        Dropout = s.Dropout,
        Peepholes = s.Peepholes,
        Cell = s.Cell,
        Epochs = s.Epochs,
        BatchSize = s.BatchSize,
        LearningRate = s.LearningRate,
        WeightDecay = s.WeightDecay,
        ClipNorm = s.ClipNorm,
        ValidationFraction = s.ValidationFraction,
        Patience = s.Patience,
        Seed = s.Seed,
        Quantiles = s.Quantiles,
        Scaling = s.Scaling,
        SeasonLength = s.SeasonLength,
        Ensemble = s.Ensemble,
        Highway = s.Highway,
        Refit = s.Refit,
        Calibrate = s.Calibrate,
        Search = s.Search,
        SearchFolds = s.SearchFolds,
        Strategy = s.Strategy,
        FutureCovariates = s.FutureCovariates,
        Statistics = s.Statistics,
        Transform = s.Transform,
        NonNegative = s.NonNegative,
        UpperBound = s.UpperBound,
        Frequency = s.Frequency,
        ParentVersion = s.ParentVersion,
        Task = s.Task,
        ValidationSplit = s.Classification?.ValidationSplit,
        ClassWeights = s.Classification?.ClassWeights,
    };
}
