using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using LstmService.Forecasting.Classification;
using LstmService.Kernels;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Training;

/// <summary>Body of POST /models/{name}/training-jobs. Everything but <c>series</c> is optional.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TrainingRequest
{
    /// <summary>One or more series (a global model is trained across all of them). null inside values marks a missing value. Series may carry covariates (the same names in every series).</summary>
    [Required]
    public IReadOnlyList<SeriesInput>? Series { get; init; }
    /// <summary>How often the series are sampled: yearly, quarterly, monthly, weekly, daily, hourly, half-hourly, a count of minutes or hours (30min, 2h) or an ISO 8601 duration (P1M, PT15M). With a series' start it dates the values; inferred from timestamps when omitted. It suggests the season when seasonLength is not given (monthly 12, quarterly 4, weekly 52, daily 7, hourly 24 and 168, half-hourly 48 and 336), and the version keeps it so forecasts carry timestamps.</summary>
    public string? Frequency { get; init; }
    /// <summary>Past values the model reads per forecast (2..1024; one value is no window). Omitted or 0: chosen from the data (autoregressive orders of 0.5 to 3 seasons, the ones that validate best); the version's inputWindow then says which.</summary>
    public int? InputWindow { get; init; }
    /// <summary>Steps forecast at once (1..365); 1 when not given.</summary>
    public int? Horizon { get; init; }
    /// <summary>Hidden units per recurrent layer (GRU by default, LSTM with cell: lstm) of each ensemble member (1..1024; hiddenSize × ensemble at most 8192).</summary>
    public int? HiddenSize { get; init; }
    /// <summary>Stacked recurrent layers (1..8).</summary>
    public int? Layers { get; init; }
    /// <summary>Dropout between layers while training, in [0, 1); above 0 it needs layers of 2 or more (or search; with initFrom the parent's layers count).</summary>
    public double? Dropout { get; init; }
    /// <summary>Peephole connections from the cell state into the gates (LSTM only: with cell omitted, true trains an LSTM).</summary>
    public bool? Peepholes { get; init; }
    /// <summary>The recurrent cell: gru (default; it scores best on the forecast suite; torch.nn.GRU's gates r, z, n, a quarter fewer weights than an LSTM's) or lstm (torch.nn.LSTM's gates i, f, g, o; the default before, and what versions stored before the GRU hold; also the default when peepholes is true, and for task classification). The version's architecture.cell says which was trained.</summary>
    public RecurrentCell? Cell { get; init; }
    /// <summary>Maximum epochs (1..TrainingQueue:MaxEpochs); early stopping may end sooner, and so may a long series with a long window (its network steps are budgeted).</summary>
    public int? Epochs { get; init; }
    /// <summary>Windows per optimisation step (1..4096).</summary>
    public int? BatchSize { get; init; }
    /// <summary>Adam learning rate, in (0, 1].</summary>
    public double? LearningRate { get; init; }
    /// <summary>Decoupled weight decay, in [0, 1).</summary>
    public double? WeightDecay { get; init; }
    /// <summary>Last share of each series (by time) used for validation and early stopping, in [0, 0.5].</summary>
    public double? ValidationFraction { get; init; }
    /// <summary>Epochs without validation improvement before training stops (1..1000).</summary>
    public int? Patience { get; init; }
    /// <summary>Random seed; the same request and seed give the same weights.</summary>
    public ulong? Seed { get; init; }
    /// <summary>Quantile levels of the prediction intervals, each in (0, 1), distinct; [] for a point forecast only.</summary>
    public IReadOnlyList<double>? Quantiles { get; init; }
    /// <summary>How windows are scaled: windowLevel (default, follows trends), seriesZScore or seriesRobust (median/IQR).</summary>
    public ScalingMode? Scaling { get; init; }
    /// <summary>Season length in steps (0..1000): omitted or 0 detects it from the data (among the periods the frequency suggests, when it is known), 1 means no season.</summary>
    public int? SeasonLength { get; init; }
    /// <summary>Networks trained from different seeds whose forecasts are averaged (1..10).</summary>
    public int? Ensemble { get; init; }
    /// <summary>Adds a linear autoregressive highway whose forecast the LSTM corrects (follows trends and seasons); default on.</summary>
    public bool? Highway { get; init; }
    /// <summary>After early stopping, retrain on all the data (validation part included) for the best epoch count; default on.</summary>
    public bool? Refit { get; init; }
    /// <summary>Calibrate the quantiles on the validation residuals (conformal) so the intervals cover what they claim; default on. A series short enough that its network is silenced (networkScale 0) is calibrated regardless: its intervals have no other source.</summary>
    public bool? Calibrate { get; init; }
    /// <summary>Try a few candidates (the other cell, hidden size, layers, learning rate, window), score each by rolling-origin cross-validation over searchFolds folds in time and keep the one whose forecasts (as served: the network mixed with the classical members) have the lowest mean validation MASE, the request's own on a tie; default off. The version's metrics list every candidate, its MASE and its network's loss per fold and their means.</summary>
    public bool? Search { get; init; }
    /// <summary>Folds of the search's rolling-origin cross-validation (1..10, default 3): each candidate is trained once per fold on the data before that fold's validation block and scored on the block; the mean decides. 1 is the plain validation split. Only with search: true.</summary>
    public int? SearchFolds { get; init; }
    /// <summary>direct (default): one pass forecasts all horizon steps; recursive: one step ahead, fed back. Covariates need direct.</summary>
    public ForecastStrategy? Strategy { get; init; }
    /// <summary>Names of the series' covariates that are known in advance (calendar effects, planned prices...): a forecast then supplies their values over the horizon in futureCovariates. Needs the direct strategy.</summary>
    public IReadOnlyList<string>? FutureCovariates { get; init; }
    /// <summary>Mix the network's forecast with exponential smoothing, the theta method and a differenced autoregression, weighted by their validation errors; default on. The version's architecture.statistics shows the members and weights.</summary>
    public bool? Statistics { get; init; }
    /// <summary>The scale the model works on: none or log (positive series; makes a multiplicative season or growth additive). Omitted or null: log when every value is positive and the smoothing's likelihood prefers it, else none; with covariates known in advance, log where their effect is regressed out multiplicatively, else none.</summary>
    public SeriesTransform? Transform { get; init; }
    /// <summary>Clamp forecasts and quantiles at zero. true: always. Omitted or null: when no training value is negative, and then not for a history whose input window holds a negative value.</summary>
    public bool? NonNegative { get; init; }
    /// <summary>Clamp forecasts and quantiles at this value from above: a percentage at 100, a share at 1, a capacity. Omitted or null: no bound (nothing in the data can tell one). Every training value must lie at or below it.</summary>
    public double? UpperBound { get; init; }
    /// <summary>Warm start: {"version": N} fine-tunes version N of this model on these series, starting from its weights (epochs default to 20). Its architecture is kept: fields left out are inherited from it (the recipe too), one given with another value is refused. The new version's training.parentVersion records N.</summary>
    public InitFromRequest? InitFrom { get; init; }
    /// <summary>forecasting (default), or classification: each series is a labelled sequence (its `label`), and the version answers POST /models/{name}/classify. Classification uses the network and optimiser fields (hiddenSize, layers, dropout, peepholes, epochs, batchSize, learningRate, weightDecay, validationFraction, patience, seed) plus validationSplit and classWeights.</summary>
    public ModelTask? Task { get; init; }
    /// <summary>Classification: how the validation part is kept: stratified (default, the same share of each class) or time (the last sequences in the order given).</summary>
    public ValidationSplit? ValidationSplit { get; init; }
    /// <summary>Classification: the cross-entropy's weight per label, e.g. { "rare": 5 } (a label not named weighs 1). Omitted: balanced, each class weighted by N / (classes × its count).</summary>
    public IReadOnlyDictionary<string, double>? ClassWeights { get; init; }
}
