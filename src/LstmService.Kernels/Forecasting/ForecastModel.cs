using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace LstmService.Kernels.Forecasting;

/// <summary>
/// A trained forecaster: the network plus how windows are built and scaled. The head predicts, for the next
/// <see cref="Horizon"/> steps, the mean and then each quantile level: layout [1 + Q, Horizon] per series.
/// Thread-safe for concurrent <see cref="Forecast"/> calls (each call rents its own workspace).
/// </summary>
public sealed class ForecastModel
{
    readonly float[] _quantiles;
    readonly ConcurrentBag<LstmWorkspace> _workspaces = new();

    public ForecastModel(LstmNetwork network, int inputWindow, int horizon, float[] quantiles, ScalingMode scaling)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWindow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (network.Config.InputSize != 1) throw new ArgumentException("Forecast networks take one input feature.", nameof(network));
        if (network.Config.OutputSize != horizon * (1 + quantiles.Length))
            throw new ArgumentException($"Head must have Horizon x (1 + Q) = {horizon * (1 + quantiles.Length)} outputs, not {network.Config.OutputSize}.", nameof(network));
        foreach (var q in quantiles)
            if (!(q > 0f && q < 1f)) throw new ArgumentOutOfRangeException(nameof(quantiles), q, "Quantile levels must be in (0, 1).");
        if (!quantiles.SequenceEqual(quantiles.Order()) || quantiles.Distinct().Count() != quantiles.Length)
            throw new ArgumentException("Quantile levels must be distinct and increasing.", nameof(quantiles));
        Network = network;
        InputWindow = inputWindow;
        Horizon = horizon;
        _quantiles = quantiles.ToArray();
        Scaling = scaling;
    }

    public LstmNetwork Network { get; }
    public int InputWindow { get; }
    public int Horizon { get; }
    /// <summary>Quantile levels in increasing order (may be empty).</summary>
    public IReadOnlyList<float> Quantiles => _quantiles;
    public ScalingMode Scaling { get; }

    /// <summary>
    /// Writes window <c>[end - InputWindow, end)</c> of a gap-filled history, scaled, into <paramref name="x"/>;
    /// returns the level and scale that map network outputs back to the series.
    /// </summary>
    internal static (float Level, float Scale) EncodeWindow(ReadOnlySpan<float> filled, int end, int window, ScalingMode mode, (float Center, float Scale) stats, Span<float> x)
    {
        float level = mode == ScalingMode.WindowLevel ? filled[end - 1] : stats.Center;
        float inv = 1f / stats.Scale;
        var src = filled.Slice(end - window, window);
        for (int t = 0; t < window; t++) x[t] = (src[t] - level) * inv;
        return (level, stats.Scale);
    }

    /// <summary>
    /// Forecasts every history in one batch. Each history holds at least <see cref="InputWindow"/> values
    /// (NaN marks a missing value and is interpolated; at least half the window must be observed);
    /// <paramref name="horizon"/> is 1..<see cref="Horizon"/> (default: <see cref="Horizon"/>).
    /// Throws <see cref="ArgumentException"/> naming the bad history.
    /// </summary>
    public IReadOnlyList<SeriesForecast> Forecast(IReadOnlyList<float[]> histories, int? horizon = null)
    {
        ArgumentNullException.ThrowIfNull(histories);
        int steps = horizon ?? Horizon, w = InputWindow, b = histories.Count;
        if (steps < 1 || steps > Horizon) throw new ArgumentOutOfRangeException(nameof(horizon), steps, $"Horizon must be in 1..{Horizon} for this model.");
        if (b == 0) return [];
        var x = new float[b * w];
        var scaling = new (float Level, float Scale)[b];
        for (int i = 0; i < b; i++)
        {
            var h = histories[i] ?? throw new ArgumentException($"History {i} is null.", $"series[{i}]");
            if (h.Length < w) throw new ArgumentException($"History {i} has {h.Length} values; this model needs at least {w}.", $"series[{i}]");
            foreach (var v in h) if (float.IsInfinity(v)) throw new ArgumentException($"History {i} holds an infinite value.", $"series[{i}]");
            if (SeriesMath.CountMissing(h.AsSpan(h.Length - w)) * 2 > w)
                throw new ArgumentException($"History {i} is missing more than half of its last {w} values.", $"series[{i}]");
            var filled = new float[h.Length];
            SeriesMath.FillGaps(h, filled);
            scaling[i] = EncodeWindow(filled, filled.Length, w, Scaling, SeriesMath.Statistics(filled, Scaling), x.AsSpan(i * w, w));
        }
        if (!_workspaces.TryTake(out var ws)) ws = Network.CreateWorkspace();
        var output = new float[b * Network.Config.OutputSize];
        try
        {
            ws.Forward(x, b, w);
            ws.Output.CopyTo(output);
        }
        finally { _workspaces.Add(ws); }
        return Decode(output, scaling, steps);
    }

    /// <summary>Maps raw head outputs [B, 1 + Q, Horizon] back to series scale; quantiles are sorted per step so they never cross.</summary>
    internal IReadOnlyList<SeriesForecast> Decode(ReadOnlySpan<float> output, ReadOnlySpan<(float Level, float Scale)> scaling, int steps)
    {
        int q = _quantiles.Length, s = Horizon, o = (1 + q) * s;
        var result = new SeriesForecast[scaling.Length];
        Span<float> column = stackalloc float[Math.Max(q, 1)];
        for (int i = 0; i < scaling.Length; i++)
        {
            var (level, scale) = scaling[i];
            var row = output.Slice(i * o, o);
            var mean = new float[steps];
            for (int t = 0; t < steps; t++) mean[t] = level + scale * row[t];
            var bands = new float[q][];
            for (int k = 0; k < q; k++) bands[k] = new float[steps];
            for (int t = 0; t < steps; t++)
            {
                for (int k = 0; k < q; k++) column[k] = level + scale * row[(1 + k) * s + t];
                column[..q].Sort();
                for (int k = 0; k < q; k++) bands[k][t] = column[k];
            }
            var dict = new Dictionary<float, float[]>(q);
            for (int k = 0; k < q; k++) dict[_quantiles[k]] = bands[k];
            result[i] = new SeriesForecast(mean, dict);
        }
        return result;
    }

    const string KeyWindow = "forecast.inputWindow", KeyHorizon = "forecast.horizon", KeyQuantiles = "forecast.quantiles", KeyScaling = "forecast.scaling";

    /// <summary>Writes the library's binary format (header with magic, version, shapes, forecast settings and SHA-256, then the weights).</summary>
    public void Save(Stream stream) => ModelSerializer.Write(stream, Network, new Dictionary<string, string>
    {
        [KeyWindow] = InputWindow.ToString(CultureInfo.InvariantCulture),
        [KeyHorizon] = Horizon.ToString(CultureInfo.InvariantCulture),
        [KeyQuantiles] = string.Join(",", _quantiles.Select(ModelSerializer.Format)),
        [KeyScaling] = Scaling.ToString(),
    });

    /// <summary>Reads what <see cref="Save"/> wrote; a truncated or altered stream throws <see cref="InvalidDataException"/>.</summary>
    public static ForecastModel Load(Stream stream)
    {
        var network = ModelSerializer.Read(stream, out var meta);
        try
        {
            int window = int.Parse(meta[KeyWindow], CultureInfo.InvariantCulture);
            int horizon = int.Parse(meta[KeyHorizon], CultureInfo.InvariantCulture);
            var quantiles = meta[KeyQuantiles].Length == 0 ? [] : meta[KeyQuantiles].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var scaling = Enum.Parse<ScalingMode>(meta[KeyScaling]);
            return new ForecastModel(network, window, horizon, quantiles, scaling);
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"Weights file lacks valid forecast settings: {e.Message}");
        }
    }

    /// <summary>The weights as PyTorch state_dict-shaped JSON: {"lstm.weight_ih_l0": {"shape": [...], "data": [...]}, ...}.</summary>
    public string ToStateDictJson()
    {
        var ms = new MemoryStream();
        ModelSerializer.WriteStateDict(ms, Network);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>
    /// A model from state_dict JSON (as <see cref="ToStateDictJson"/> writes, or exported from PyTorch nn.LSTM + nn.Linear
    /// named lstm.* and head.*); shapes are inferred from the tensors. Throws <see cref="InvalidDataException"/> on a bad document.
    /// </summary>
    public static ForecastModel FromStateDict(string json, int inputWindow, int horizon, float[]? quantiles = null, ScalingMode scaling = ScalingMode.WindowLevel)
    {
        var network = ModelSerializer.ReadStateDict(json);
        quantiles ??= [];
        try { return new ForecastModel(network, inputWindow, horizon, quantiles, scaling); }
        catch (ArgumentException e) { throw new InvalidDataException($"State dict does not fit the forecast settings: {e.Message}"); }
    }
}
