namespace LstmService.Forecasting.Models;

/// <summary>
/// How one forecast's network input is laid out. Without covariates it is the encoded target window alone
/// ([InputWindow, 1]). With C covariates each history step holds [target, covariate 1..C] (covariates z-scored per
/// series); with covariates known in advance the sequence goes on for Horizon more steps holding [0, the known
/// covariates' future (0 for the others), 1] and every step gets that last "future" flag (0 over the history).
/// The highway always reads the target window alone.
/// </summary>
internal sealed class InputLayout
{
    public InputLayout(int window, int horizon, bool[] future)
    {
        Window = window;
        Horizon = horizon;
        Future = future;
        Covariates = future.Length;
        HasFuture = future.Any(f => f);
        Steps = window + (HasFuture ? horizon : 0);
        Features = 1 + Covariates + (HasFuture ? 1 : 0);
    }

    public int Window { get; }
    public int Horizon { get; }
    public int Covariates { get; }
    public bool[] Future { get; }
    public bool HasFuture { get; }
    /// <summary>Sequence length T the network reads.</summary>
    public int Steps { get; }
    /// <summary>Features per step (the network's InputSize).</summary>
    public int Features { get; }
    /// <summary>No covariates: the network input is the target window itself.</summary>
    public bool Plain => Covariates == 0;
    public int RowLength => Steps * Features;

    /// <summary>
    /// Writes one row of network input from the encoded target <paramref name="window"/> and the gap-filled covariates,
    /// whose values at indices [end - Window, end) are the history and, for the known ones, [end, end + Horizon) the future.
    /// </summary>
    public void Encode(ReadOnlySpan<float> window, float[][] covariates, (float Center, float Scale)[] stats, int end, Span<float> x)
    {
        int w = Window, f = Features, c = Covariates;
        for (int t = 0; t < w; t++)
        {
            var step = x.Slice(t * f, f);
            step[0] = window[t];
            for (int k = 0; k < c; k++) step[1 + k] = (covariates[k][end - w + t] - stats[k].Center) / stats[k].Scale;
            if (HasFuture) step[f - 1] = 0f;
        }
        if (!HasFuture) return;
        for (int t = 0; t < Horizon; t++)
        {
            var step = x.Slice((w + t) * f, f);
            step[0] = 0f;
            for (int k = 0; k < c; k++) step[1 + k] = Future[k] ? (covariates[k][end + t] - stats[k].Center) / stats[k].Scale : 0f;
            step[f - 1] = 1f;
        }
    }
}
