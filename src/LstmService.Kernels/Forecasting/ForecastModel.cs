namespace LstmService.Kernels.Forecasting;

/// <summary>
/// A trained forecaster: the network plus how windows are built and scaled. The head predicts, for the next
/// <see cref="Horizon"/> steps, the mean and then each quantile level: layout [1 + Q, Horizon].
/// Thread-safe for concurrent <see cref="Forecast"/> calls (each call rents its own workspace).
/// </summary>
public sealed partial class ForecastModel
{
    public ForecastModel(LstmNetwork network, int inputWindow, int horizon, float[] quantiles, ScalingMode scaling)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWindow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (network.Config.InputSize != 1) throw new ArgumentException("Forecast networks take one input feature.", nameof(network));
        if (network.Config.OutputSize != horizon * (1 + quantiles.Length))
            throw new ArgumentException($"Head must have Horizon x (1 + Q) = {horizon * (1 + quantiles.Length)} outputs, not {network.Config.OutputSize}.", nameof(network));
        Network = network;
        InputWindow = inputWindow;
        Horizon = horizon;
        Quantiles = quantiles.ToArray();
        Scaling = scaling;
    }

    public LstmNetwork Network { get; }
    public int InputWindow { get; }
    public int Horizon { get; }
    /// <summary>Quantile levels in increasing order (may be empty).</summary>
    public IReadOnlyList<float> Quantiles { get; }
    public ScalingMode Scaling { get; }
}
