using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;
using LstmService.Infrastructure;
using LstmService.Kernels;

namespace LstmService.Registry;

/// <summary>The fully resolved settings of a training run (request values, else the kernel's defaults), kept with the job and the version. Every property starts from <see cref="TrainingOptions"/>'s default, so a job stored before a setting existed loads with that setting's current default (and the service never restates a default of its own).</summary>
public sealed record TrainingSettings
{
    private static readonly TrainingOptions Defaults = new();

    /// <summary>History length the model reads; 0 means chosen from the data (the version's inputWindow is the one chosen).</summary>
    public int InputWindow { get; init; } = Defaults.InputWindow;
    public int Horizon { get; init; } = Defaults.Horizon;
    /// <summary>Hidden units per recurrent layer (GRU by default, LSTM with cell: lstm) of each ensemble member.</summary>
    public int HiddenSize { get; init; } = Defaults.HiddenSize;
    public int Layers { get; init; } = Defaults.Layers;
    public float Dropout { get; init; } = Defaults.Dropout;
    public bool Peepholes { get; init; } = Defaults.Peepholes;
    /// <summary>
    /// The recurrent cell. Unlike the other settings, a job stored without it reads as LSTM, not as today's default: every
    /// job before the GRU trained an LSTM.
    /// </summary>
    public RecurrentCell Cell { get; init; } = RecurrentCell.Lstm;
    public int Epochs { get; init; } = Defaults.Epochs;
    public int BatchSize { get; init; } = Defaults.BatchSize;
    public float LearningRate { get; init; } = Defaults.LearningRate;
    public float WeightDecay { get; init; } = Defaults.WeightDecay;
    public float ClipNorm { get; init; } = Defaults.ClipNorm;
    public float ValidationFraction { get; init; } = Defaults.ValidationFraction;
    public int Patience { get; init; } = Defaults.Patience;
    public ulong Seed { get; init; } = Defaults.Seed;
    public float[] Quantiles { get; init; } = Defaults.Quantiles;
    public ScalingMode Scaling { get; init; } = Defaults.Scaling;
    /// <summary>Season length in steps; 0 means detected from the data, 1 none.</summary>
    public int SeasonLength { get; init; } = Defaults.SeasonLength;
    /// <summary>Networks trained from different seeds and averaged.</summary>
    public int Ensemble { get; init; } = Defaults.Ensemble;
    /// <summary>Linear autoregressive highway added to the network's forecast.</summary>
    public bool Highway { get; init; } = Defaults.Highway;
    /// <summary>Retrain on all the data for the best epoch count after early stopping.</summary>
    public bool Refit { get; init; } = Defaults.Refit;
    /// <summary>Conformal calibration of the quantiles on the validation residuals, as asked (a silenced network is calibrated regardless).</summary>
    public bool Calibrate { get; init; } = Defaults.Calibrate;
    /// <summary>Small hyperparameter search, chosen by the validation MASE of each candidate's forecast.</summary>
    public bool Search { get; init; } = Defaults.Search;
    /// <summary>Folds of the search's rolling-origin cross-validation.</summary>
    public int SearchFolds { get; init; } = Defaults.SearchFolds;
    public ForecastStrategy Strategy { get; init; } = Defaults.Strategy;
    /// <summary>Covariates known in advance (a forecast supplies their values over the horizon).</summary>
    public string[] FutureCovariates { get; init; } = Defaults.FutureCovariates;
    /// <summary>Mix the network with exponential smoothing, theta and a differenced autoregression.</summary>
    public bool Statistics { get; init; } = Defaults.Statistics;
    /// <summary>The scale the model works on; null means chosen from the data (the version's architecture says which).</summary>
    public SeriesTransform? Transform { get; init; } = Defaults.Transform;
    /// <summary>Clamp forecasts at zero; null means when no training value is negative (the version's architecture says which).</summary>
    public bool? NonNegative { get; init; } = Defaults.NonNegative;
    /// <summary>The value forecasts are clamped at from above; null (and in versions stored before it existed): none.</summary>
    public float? UpperBound { get; init; }
    /// <summary>The series' sampling frequency as an ISO 8601 duration (P1M), or null when unknown; it suggests the seasons the detector tests.</summary>
    public string? Frequency { get; init; }
    /// <summary>Each series' first and last time, when the request dated them (null otherwise): a forecast of a series named like one continues its dates.</summary>
    public IReadOnlyList<SeriesTiming>? Timing { get; init; }
    /// <summary>The version of the same model whose weights the training started from (a warm start); null for a cold start. The lineage of a version.</summary>
    public int? ParentVersion { get; init; }
    /// <summary>What the job trains: a forecaster (jobs stored before classification existed), or a classifier with <see cref="Classification"/>'s settings.</summary>
    public ModelTask Task { get; init; }
    /// <summary>A classification job's own settings (validation split, class weights); null for forecasting.</summary>
    public ClassificationSettings? Classification { get; init; }

    /// <summary>The settings of <paramref name="options"/> (all of its fields the service exposes or records).</summary>
    public static TrainingSettings From(TrainingOptions options) => new()
    {
        InputWindow = options.InputWindow,
        Horizon = options.Horizon,
        HiddenSize = options.HiddenSize,
        Layers = options.Layers,
        Dropout = options.Dropout,
        Peepholes = options.Peepholes,
        Cell = options.Cell,
        Epochs = options.Epochs,
        BatchSize = options.BatchSize,
        LearningRate = options.LearningRate,
        WeightDecay = options.WeightDecay,
        ClipNorm = options.ClipNorm,
        ValidationFraction = options.ValidationFraction,
        Patience = options.Patience,
        Seed = options.Seed,
        Quantiles = options.Quantiles.ToArray(),
        Scaling = options.Scaling,
        SeasonLength = options.SeasonLength,
        Ensemble = options.Ensemble,
        Highway = options.Highway,
        Refit = options.Refit,
        Calibrate = options.Calibrate,
        Search = options.Search,
        SearchFolds = options.SearchFolds,
        Strategy = options.Strategy,
        FutureCovariates = options.FutureCovariates.ToArray(),
        Statistics = options.Statistics,
        Transform = options.Transform,
        NonNegative = options.NonNegative,
        UpperBound = options.UpperBound,
    };

    public TrainingOptions ToOptions() => new()
    {
        InputWindow = InputWindow,
        Horizon = Horizon,
        HiddenSize = HiddenSize,
        Layers = Layers,
        Dropout = Dropout,
        Peepholes = Peepholes,
        Cell = Cell,
        Epochs = Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        WeightDecay = WeightDecay,
        ClipNorm = ClipNorm,
        ValidationFraction = ValidationFraction,
        Patience = Patience,
        Seed = Seed,
        Quantiles = (Quantiles ?? []).ToArray(),
        Scaling = Scaling,
        SeasonLength = SeasonLength,
        Ensemble = Ensemble,
        Highway = Highway,
        Refit = Refit,
        Calibrate = Calibrate,
        Search = Search,
        SearchFolds = SearchFolds,
        Strategy = Strategy,
        FutureCovariates = (FutureCovariates ?? []).ToArray(),
        Statistics = Statistics,
        Transform = Transform,
        NonNegative = NonNegative,
        UpperBound = UpperBound,
        // Only a known frequency narrows the detector's candidates: without one, training is as it always was.
        SeasonCandidates = TimeFrequency.Parse(Frequency)?.SuggestedSeasons(),
    };
}
