namespace LstmService.Kernels.Forecasting;

// Contract used by the service. Bodies are being implemented (kernel issue); signatures are stable.
public sealed partial class ForecastModel
{
    /// <summary>
    /// Forecasts every history in one batch. Each history holds at least <see cref="InputWindow"/> values
    /// (NaN marks a missing value and is interpolated; at least half the window must be observed);
    /// <paramref name="horizon"/> is 1..<see cref="Horizon"/> (default: <see cref="Horizon"/>).
    /// Throws <see cref="ArgumentException"/> naming the bad history.
    /// </summary>
    public IReadOnlyList<SeriesForecast> Forecast(IReadOnlyList<float[]> histories, int? horizon = null) => throw new NotImplementedException();

    /// <summary>Writes the library's binary format (header with magic, version, shapes, forecast settings and SHA-256, then the weights).</summary>
    public void Save(Stream stream) => throw new NotImplementedException();

    /// <summary>Reads what <see cref="Save"/> wrote; a truncated or altered stream throws <see cref="InvalidDataException"/>.</summary>
    public static ForecastModel Load(Stream stream) => throw new NotImplementedException();

    /// <summary>The weights as PyTorch state_dict-shaped JSON: {"lstm.weight_ih_l0": {"shape": [...], "data": [...]}, ...}.</summary>
    public string ToStateDictJson() => throw new NotImplementedException();

    /// <summary>
    /// A model from state_dict JSON (as <see cref="ToStateDictJson"/> writes, or exported from PyTorch nn.LSTM + nn.Linear
    /// named lstm.* and head.*); shapes are inferred from the tensors. Throws <see cref="InvalidDataException"/> on a bad document.
    /// </summary>
    public static ForecastModel FromStateDict(string json, int inputWindow, int horizon, float[]? quantiles = null, ScalingMode scaling = ScalingMode.WindowLevel)
        => throw new NotImplementedException();
}

/// <summary>Trains a <see cref="ForecastModel"/> on one or many series (a global model).</summary>
public static partial class ForecastTrainer
{
    /// <summary>
    /// Trains on <paramref name="series"/> (NaN = missing) with <paramref name="options"/>; reports every epoch to
    /// <paramref name="progress"/>; throws <see cref="OperationCanceledException"/> when cancelled and
    /// <see cref="ArgumentException"/> naming the bad option or series.
    /// </summary>
    public static TrainingResult Train(IReadOnlyList<float[]> series, TrainingOptions options, Action<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
