using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Training;

/// <summary>
/// Every knob of one training run. Defaults are what the service uses when a request says nothing; a zero
/// <see cref="InputWindow"/> or <see cref="SeasonLength"/> means "choose from the data".
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>History length the model reads (the linear part may use a shorter suffix of it). 0 (default) picks it from
    /// the season: the autoregressive orders that validate best among 0.5 to 3 seasons.</summary>
    public int InputWindow { get; init; }
    public int Horizon { get; init; } = 1;
    /// <summary>Hidden units of each ensemble member.</summary>
    public int HiddenSize { get; init; } = 32;
    public int Layers { get; init; } = 1;
    public float Dropout { get; init; }
    /// <summary>LSTM peepholes (a GRU has none).</summary>
    public bool Peepholes { get; init; }
    /// <summary>
    /// The recurrent cell of the network: GRU (default: on the forecast suite it scores a geometric-mean MASE ratio of
    /// 0.953 against the LSTM's 0.959, the same elsewhere and better on sunspot.month for every seed tried) or LSTM.
    /// </summary>
    public Kernels.RecurrentCell Cell { get; init; } = Kernels.RecurrentCell.Gru;
    public int Epochs { get; init; } = 200;
    public int BatchSize { get; init; } = 32;
    public float LearningRate { get; init; } = 3e-3f;
    public float WeightDecay { get; init; }
    public float ClipNorm { get; init; } = 1f;
    public float ValidationFraction { get; init; } = 0.2f;
    public int Patience { get; init; } = 10;
    public ulong Seed { get; init; } = 42;
    /// <summary>Quantile levels of the interval heads, each in (0, 1); empty trains a point forecast only.</summary>
    public float[] Quantiles { get; init; } = [0.1f, 0.5f, 0.9f];
    public ScalingMode Scaling { get; init; } = ScalingMode.WindowLevel;
    /// <summary>Season length in steps; 0 (default) detects it from the autocorrelation of the data, 1 means none.</summary>
    public int SeasonLength { get; init; }
    /// <summary>
    /// The season lengths the series' sampling frequency suggests (12 for monthly data, 24 and 168 for hourly), ascending:
    /// with <see cref="SeasonLength"/> 0 the detector tests only these (an empty array: no season). null (default): the
    /// frequency is unknown and the detector tests <see cref="Statistics.SeasonDetector.Candidates"/>.
    /// </summary>
    public int[]? SeasonCandidates { get; init; }
    /// <summary>Networks trained from different seeds whose forecasts are averaged (merged into one block-diagonal network).</summary>
    public int Ensemble { get; init; } = 5;
    /// <summary>
    /// Adds a linear autoregressive "highway" (as in LSTNet): an AR model fitted in closed form on the scaled windows,
    /// iterated to the horizon, whose forecast the LSTM corrects. Follows trends and seasons the network alone misses.
    /// </summary>
    public bool Highway { get; init; } = true;
    /// <summary>After early stopping on the validation part, retrains on all the data for the best epoch count.</summary>
    public bool Refit { get; init; } = true;
    /// <summary>
    /// Shifts each quantile head so that its empirical level on the residuals of the model that held the validation part out
    /// matches (conformal-style calibration, per horizon step; see <see cref="Conformal"/>). A model whose network is silenced
    /// (a short series with the classical members) is calibrated regardless: it never runs the network's quantile heads.
    /// </summary>
    public bool Calibrate { get; init; } = true;
    /// <summary>
    /// Tries a few candidates (the other cell, hidden size, layers, window, learning rate) and keeps the one with the lowest
    /// mean validation loss over <see cref="SearchFolds"/> rolling-origin folds.
    /// </summary>
    public bool Search { get; init; }
    /// <summary>
    /// Folds of the search's rolling-origin cross-validation (1 to <see cref="MaxSearchFolds"/>): fold f of k validates on the
    /// block of validation length that ends (k - 1 - f) blocks before each series' end, trained on what precedes that
    /// block only. 1 is the plain validation split.
    /// </summary>
    public int SearchFolds { get; init; } = 3;
    /// <summary>The most folds a search may use.</summary>
    public const int MaxSearchFolds = 10;
    public ForecastStrategy Strategy { get; init; } = ForecastStrategy.Direct;
    /// <summary>
    /// Names of the covariates known in advance (calendar effects, planned promotions...): a forecast then supplies their
    /// values over the horizon too, and the network reads them after the history. Other covariates are history only.
    /// </summary>
    public string[] FutureCovariates { get; init; } = [];
    /// <summary>
    /// Mixes the network's forecast with exponential smoothing, the theta method and a differenced autoregression (see
    /// <see cref="Statistics.StatisticalEnsemble"/>), weighted by their errors on the validation part; the intervals are then
    /// calibrated on the mix. Off: the network (and highway) alone.
    /// </summary>
    public bool Statistics { get; init; } = true;
    /// <summary>
    /// With <see cref="Statistics"/> and the direct strategy: the network learns to correct the classical members' mean (its
    /// forecast is their mean plus its output, as in ES-RNN), in place of correcting the linear highway. Off: the highway.
    /// </summary>
    public bool CorrectStatistics { get; init; } = true;
    /// <summary>The scale the model works on; null (default) chooses log for a positive series when the likelihood of the
    /// exponential smoothing prefers it (multiplicative season or growth), else none.</summary>
    public Statistics.SeriesTransform? Transform { get; init; }
    /// <summary>Clamps forecasts and quantiles at zero; null (default) does so when no training value is negative.</summary>
    public bool? NonNegative { get; init; }
    /// <summary>
    /// Clamps forecasts and quantiles at this value from above (a percentage at 100, a share at 1, a capacity); null (default):
    /// no bound. Every training value must lie at or below it.
    /// </summary>
    public float? UpperBound { get; init; }
    /// <summary>
    /// Warm start: the merged network of a model of this shape (<see cref="HiddenSize"/> × <see cref="Ensemble"/> units, the same
    /// inputs, layers and head), split back into the members, which then train from its weights instead of random ones (the
    /// refit too). null (default): a cold start. Keep <see cref="InputWindow"/> and what the network reads and corrects as they were.
    /// </summary>
    public Kernels.IRecurrentNetwork? InitialWeights { get; init; }
    /// <summary>
    /// Ablation, not part of a request: a network that corrects the classical members (<see cref="CorrectStatistics"/>, the
    /// direct strategy) is still trained, but its correction is scaled to zero before the mix is fitted, whatever the series'
    /// length, so the weights are fitted as for a short series (the recipe without the network; the benchmark's measure of what
    /// the network adds). No effect on other models.
    /// </summary>
    internal bool WithoutNetwork { get; init; }
    /// <summary>
    /// Ablation, not part of a request: no regression on the known covariates' levels (<see cref="Statistics.CovariateLevels"/>);
    /// the benchmark's measure of what it adds.
    /// </summary>
    internal bool WithoutCovariateLevels { get; init; }
    /// <summary>
    /// Set by the trainer, not part of a request: the regression on the known covariates' levels the series was adjusted by
    /// (the change-based effect leaves the covariates it reads alone; the backtest scores the series itself).
    /// </summary>
    internal LevelAdjustment? Levels { get; init; }
    /// <summary>
    /// Set by the trainer, not part of a request: <see cref="NonNegative"/> was asked for (true), not chosen from the data, so
    /// the clamp holds for every history (<see cref="ForecastModel.NonNegativeDeclared"/>) and the backtest scores it so.
    /// </summary>
    internal bool NonNegativeDeclared { get; init; }
    /// <summary>
    /// The search's trials, not part of a request: their kept validation loss and their backtest's MASE are read, so the mix
    /// is fitted without a short series' rolling origins (each member fitted again per origin would cost every candidate and
    /// fold as much as the rest of the trial) and a silenced network's intervals are not calibrated.
    /// </summary>
    internal bool Trial { get; init; }
    /// <summary>
    /// Ablation, not part of a request: the mix's interval offsets are calibrated and applied as they are, one width for every
    /// origin, instead of in units of the forecasters' disagreement (<see cref="StatisticsMixer.IntervalSpread"/>); the
    /// benchmark's measure of what those units change.
    /// </summary>
    internal bool AbsoluteIntervals { get; init; }
}
