namespace LstmService.Kernels.Forecasting;

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

/// <summary>Every knob of one training run. Defaults are what the service uses when a request says nothing.</summary>
public sealed record TrainingOptions
{
    public int InputWindow { get; init; } = 24;
    public int Horizon { get; init; } = 1;
    public int HiddenSize { get; init; } = 64;
    public int Layers { get; init; } = 1;
    public float Dropout { get; init; }
    public bool Peepholes { get; init; }
    public int Epochs { get; init; } = 200;
    public int BatchSize { get; init; } = 32;
    public float LearningRate { get; init; } = 3e-3f;
    public float WeightDecay { get; init; }
    public float ClipNorm { get; init; } = 1f;
    public float ValidationFraction { get; init; } = 0.2f;
    public int Patience { get; init; } = 20;
    public ulong Seed { get; init; } = 42;
    /// <summary>Quantile levels of the interval heads, each in (0, 1); empty trains a point forecast only.</summary>
    public float[] Quantiles { get; init; } = [0.1f, 0.5f, 0.9f];
    public ScalingMode Scaling { get; init; } = ScalingMode.WindowLevel;
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
/// <param name="Metrics">Backtest metrics on the validation part, model and baselines side by side.</param>
public sealed record TrainingResult(
    ForecastModel Model,
    int EpochsRun,
    int BestEpoch,
    IReadOnlyList<double> TrainLosses,
    IReadOnlyList<double> ValidationLosses,
    int MissingValues,
    BacktestMetrics Metrics);

/// <summary>Point and interval accuracy of the model and of the naive baselines over the validation part.</summary>
public sealed record BacktestMetrics(
    AccuracyMetrics Model,
    AccuracyMetrics Naive,
    AccuracyMetrics SeasonalNaive,
    int SeasonLength,
    IReadOnlyDictionary<string, double> IntervalCoverage);

/// <summary>Accuracy of one forecaster: RMSE, MAE, MASE (scaled by the in-sample naive error) and sMAPE (percent).</summary>
public sealed record AccuracyMetrics(double Rmse, double Mae, double Mase, double Smape, int Points);
