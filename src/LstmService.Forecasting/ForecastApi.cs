namespace LstmService.Forecasting;

/// <summary>How each training window and forecast history is put on a common scale before it reaches the network.</summary>
public enum ScalingMode
{
    /// <summary>Each input window is centred on its own last observed level and divided by the series' scale:
    /// follows trends beyond the training range (the default).</summary>
    WindowLevel = 0,
    /// <summary>Per-series z-score computed on the training part.</summary>
    SeriesZScore = 1,
    /// <summary>Per-series median / IQR scaling, robust to outliers.</summary>
    SeriesRobust = 2,
}

/// <summary>How a model produces its multi-step forecast.</summary>
public enum ForecastStrategy
{
    /// <summary>A direct multi-output head: all <c>horizon</c> steps in one pass (the default).</summary>
    Direct = 0,
    /// <summary>One step ahead, fed back as the next input <c>horizon</c> times.</summary>
    Recursive = 1,
}

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
    public bool Peepholes { get; init; }
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
    /// matches (conformal-style calibration, per horizon step; see <see cref="Conformal"/>).
    /// </summary>
    public bool Calibrate { get; init; } = true;
    /// <summary>Tries a few candidates of hidden size, layers, window and learning rate and keeps the best on validation loss.</summary>
    public bool Search { get; init; }
    public ForecastStrategy Strategy { get; init; } = ForecastStrategy.Direct;
    /// <summary>
    /// Names of the covariates known in advance (calendar effects, planned promotions...): a forecast then supplies their
    /// values over the horizon too, and the network reads them after the history. Other covariates are history only.
    /// </summary>
    public string[] FutureCovariates { get; init; } = [];
}

/// <summary>One training series: its values (NaN = missing) and optional covariates, named arrays as long as the values.</summary>
public sealed record TrainingSeries(float[] Values, IReadOnlyDictionary<string, float[]>? Covariates = null);

/// <summary>
/// One forecast request: the history (NaN = missing), the covariates' history (as long as <paramref name="History"/>) when
/// the model has covariates, and for covariates known in advance their values over the horizon
/// (<paramref name="FutureCovariates"/>, at least as many as the steps asked for).
/// </summary>
public sealed record ForecastInput(float[] History, IReadOnlyDictionary<string, float[]>? Covariates = null, IReadOnlyDictionary<string, float[]>? FutureCovariates = null);

/// <summary>
/// One problem with a training request found by <see cref="ForecastTrainer.Check"/>: the field's path as a request would name
/// it ("horizon", "series[2].values", "series[0].covariates.temp", "futureCovariates[1]") and what is wrong with it.
/// <paramref name="ActualValue"/> is set for an option out of its bounds.
/// </summary>
public sealed record TrainingProblem(string Field, string Message, object? ActualValue = null)
{
    /// <summary>What <see cref="ForecastTrainer.Validate(IReadOnlyList{TrainingSeries}, TrainingOptions)"/> throws for it:
    /// an <see cref="ArgumentOutOfRangeException"/> for an option out of bounds, else an <see cref="ArgumentException"/>; ParamName is <see cref="Field"/>.</summary>
    public ArgumentException ToException() => ActualValue is null
        ? new ArgumentException(Message, Field)
        : new ArgumentOutOfRangeException(Field, Message); // the message already says what the value was
}

/// <summary>Reported after every epoch.</summary>
public readonly record struct EpochProgress(int Epoch, int Epochs, double TrainLoss, double ValidationLoss);

/// <summary>One series' forecast, on the series' own scale.</summary>
public sealed record SeriesForecast(float[] Mean, IReadOnlyDictionary<float, float[]> Quantiles);

/// <summary>What one training run produced.</summary>
/// <param name="Model">The trained model (best validation epoch's weights).</param>
/// <param name="EpochsRun">Epochs actually run (early stopping may end before TrainingOptions.Epochs).</param>
/// <param name="BestEpoch">1-based epoch whose weights were kept.</param>
/// <param name="TrainLosses">Training loss per epoch.</param>
/// <param name="ValidationLosses">Validation loss per epoch (NaN when there is no validation part).</param>
/// <param name="MissingValues">Missing (NaN) values seen in the training series.</param>
/// <param name="Metrics">Backtest metrics on the validation part (from the model that held it out), model and baselines side by side.</param>
/// <param name="Search">With <see cref="TrainingOptions.Search"/>: every candidate tried and its best validation loss; null otherwise.</param>
public sealed record TrainingResult(
    ForecastModel Model,
    int EpochsRun,
    int BestEpoch,
    IReadOnlyList<double> TrainLosses,
    IReadOnlyList<double> ValidationLosses,
    int MissingValues,
    BacktestMetrics Metrics,
    IReadOnlyList<SearchCandidate>? Search = null);

/// <summary>One candidate of the hyperparameter search: what it changed, its options, its best validation loss, whether it won.</summary>
public sealed record SearchCandidate(string Name, TrainingOptions Options, double ValidationLoss, bool Chosen);

/// <summary>Point and interval accuracy of the model and of the naive baselines over the validation part.</summary>
public sealed record BacktestMetrics(
    AccuracyMetrics Model,
    AccuracyMetrics Naive,
    AccuracyMetrics SeasonalNaive,
    int SeasonLength,
    IReadOnlyDictionary<string, double> IntervalCoverage);

/// <summary>Accuracy of one forecaster: RMSE, MAE, MASE (scaled by the in-sample naive error) and sMAPE (percent).</summary>
public sealed record AccuracyMetrics(double Rmse, double Mae, double Mase, double Smape, int Points);
