using System.Globalization;
using System.Numerics.Tensors;

using LstmService.Forecasting.Series;
using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

/// <summary>
/// The linear "highway" of a forecast model (the autoregressive component of LSTNet): one or more AR models fitted
/// in closed form on the encoded (scaled) windows and iterated to the horizon. Iterating a linear AR is itself a
/// linear map from the window to the horizon, so the highway adds <c>M x + β</c> (averaged over its orders) to
/// every head of the network; the LSTM then learns what the AR misses.
/// With <see cref="Relative"/> (window-level scaling) each AR models the next value relative to the last one:
/// an AR on first differences with drift, which follows trends beyond the training range.
/// </summary>
public sealed partial class LinearHighway
{
    readonly float[][] _coefficients;

    /// <param name="relative">Differenced form: features are <c>x_j - x_last</c> (for <see cref="ScalingMode.WindowLevel"/>).</param>
    /// <param name="coefficients">Per AR model, its feature weights then its intercept: order - 1 weights in the relative form, order weights otherwise.</param>
    public LinearHighway(bool relative, IReadOnlyList<float[]> coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Count == 0) throw new ArgumentException("At least one AR model is needed.", nameof(coefficients));
        foreach (var c in coefficients)
        {
            if (c is null || c.Length < 2) throw new ArgumentException("Each AR model needs at least one weight and an intercept.", nameof(coefficients));
            foreach (var v in c) if (!float.IsFinite(v)) throw new ArgumentException("AR coefficients must be finite.", nameof(coefficients));
        }
        Relative = relative;
        _coefficients = coefficients.Select(c => c.ToArray()).ToArray();
    }

    readonly (float[] Matrix, float[] Bias, int Window)? _map;

    LinearHighway(float[] matrix, float[] bias, int window)
    {
        _coefficients = [];
        _map = (matrix, bias, window);
    }

    /// <summary>
    /// A highway given directly as its composed map (as a state_dict's highway.weight [horizon, window] and highway.bias
    /// [horizon] hold it) rather than as AR coefficients; it reads exactly <paramref name="window"/> values.
    /// </summary>
    public static LinearHighway FromMap(float[] matrix, float[] bias, int window)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        if (bias.Length < 1 || matrix.Length != bias.Length * window)
            throw new ArgumentException($"A highway map needs [horizon, window] weights and [horizon] biases; got {matrix.Length} and {bias.Length} for window {window}.");
        if (!matrix.All(float.IsFinite) || !bias.All(float.IsFinite)) throw new ArgumentException("Highway weights must be finite.");
        return new LinearHighway(matrix.ToArray(), bias.ToArray(), window);
    }

    /// <summary>Differenced AR form (window-level scaling); false for an absolute AR or a map given directly.</summary>
    public bool Relative { get; }

    /// <summary>True when the highway was given as a composed map (<see cref="FromMap"/>), not as AR coefficients.</summary>
    public bool IsMap => _map is not null;

    /// <summary>Coefficients of each AR model (weights, then intercept).</summary>
    public IReadOnlyList<float[]> Coefficients => _coefficients;

    /// <summary>Window length each AR model reads.</summary>
    public IReadOnlyList<int> Orders => _map is { } map ? [map.Window] : _coefficients.Select(OrderOf).ToArray();

    public int MaxOrder => _map is { } map ? map.Window : _coefficients.Max(OrderOf);

    /// <summary>Coefficients estimated from the history (the largest AR model's, intercept included; a given map's window).</summary>
    public int ParameterCount => _map is { } map ? map.Window : _coefficients.Max(c => c.Length);

    int OrderOf(float[] c) => Relative ? c.Length : c.Length - 1;

    /// <summary>
    /// The composite map of the averaged, iterated AR models for an encoded window of <paramref name="window"/> values:
    /// prediction[t] = Σ_j matrix[t * window + j] · x[j] + bias[t] for t in 0..horizon-1, in encoded units.
    /// </summary>
    public (float[] Matrix, float[] Bias) Compose(int window, int horizon)
    {
        if (window < MaxOrder) throw new ArgumentOutOfRangeException(nameof(window), window, $"The window must hold the highest AR order ({MaxOrder}).");
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (_map is { } given)
        {
            if (window != given.Window || horizon > given.Bias.Length)
                throw new ArgumentException($"This highway map is for a window of {given.Window} and at most {given.Bias.Length} steps.");
            return (given.Matrix[..(horizon * window)], given.Bias[..horizon]);
        }
        int cols = window + 1; // the last column is the constant term
        var sum = new double[horizon * cols];
        // rows[i] = the affine coefficients of path value i (window values first, then forecasts).
        var rows = new double[window + horizon][];
        for (int i = 0; i < window; i++) { rows[i] = new double[cols]; rows[i][i] = 1; }
        foreach (var c in _coefficients)
        {
            int p = OrderOf(c), features = c.Length - 1;
            double intercept = c[features];
            for (int k = 0; k < horizon; k++)
            {
                int at = window + k;
                var row = rows[at] ??= new double[cols];
                Array.Clear(row);
                row[window] = intercept;
                if (Relative)
                {
                    var last = rows[at - 1];
                    double total = 0;
                    for (int j = 0; j < features; j++)
                    {
                        double w = c[j];
                        total += w;
                        var src = rows[at - p + j];
                        for (int m = 0; m < cols; m++) row[m] += w * src[m];
                    }
                    for (int m = 0; m < cols; m++) row[m] += (1 - total) * last[m];
                }
                else
                {
                    for (int j = 0; j < features; j++)
                    {
                        double w = c[j];
                        var src = rows[at - p + j];
                        for (int m = 0; m < cols; m++) row[m] += w * src[m];
                    }
                }
                for (int m = 0; m < cols; m++) sum[k * cols + m] += row[m];
            }
        }
        var matrix = new float[horizon * window];
        var bias = new float[horizon];
        double inv = 1.0 / _coefficients.Length;
        for (int k = 0; k < horizon; k++)
        {
            for (int j = 0; j < window; j++) matrix[k * window + j] = (float)(sum[k * cols + j] * inv);
            bias[k] = (float)(sum[k * cols + window] * inv);
        }
        return (matrix, bias);
    }

    /// <summary>Applies a composed map: y[t] = bias[t] + Σ_j matrix[t * window + j] · x[j].</summary>
    public static void Apply(float[] matrix, float[] bias, int window, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int t = 0; t < bias.Length; t++)
            y[t] = bias[t] + System.Numerics.Tensors.TensorPrimitives.Dot(matrix.AsSpan(t * window, window), x[..window]);
    }

    /// <summary>
    /// Fits one AR model of <paramref name="order"/> by ridge least squares on every window of the given series parts whose
    /// target is observed and whose inputs are not mostly missing: features are the encoded window (relative to its last value in the relative form), the target
    /// the next value encoded the same way. Returns null when there are too few windows.
    /// </summary>
    internal static float[]? Fit(IReadOnlyList<SeriesPart> parts, int order, bool relative, double ridge = 1e-3)
    {
        int features = relative ? order - 1 : order, p = features + 1;
        if (features < 1) return null;
        var gram = new double[p * p];
        var rhs = new double[p];
        var x = new double[p];
        long n = 0;
        foreach (var part in parts)
        {
            var f = part.Filled; var raw = part.Raw;
            double center = part.Center, inv = 1.0 / part.Scale;
            for (int t = Math.Max(order, part.From); t < part.To; t++)
            {
                if (float.IsNaN(raw[t])) continue;
                // An input mostly interpolated across a gap is not one a forecast would start from.
                if (InputMostlyMissing(raw, t, order)) continue;
                double level = relative ? f[t - 1] : center;
                Features(f, t, order, level, inv, relative, x);
                AccumulateLowerGram(x, (raw[t] - level) * inv, gram, rhs, p);
                n++;
            }
        }
        return n < 2L * p ? null : Solve(gram, rhs, p, ridge * n);
    }

    /// <summary>The ridge solution of normal equations whose lower triangle is filled, as floats; null when one is not finite.</summary>
    static float[]? Solve(double[] gram, double[] rhs, int p, double penalty)
    {
        for (int i = 0; i < p; i++) for (int j = i + 1; j < p; j++) gram[i * p + j] = gram[j * p + i];
        SeriesMath.SolveRidge(gram, rhs, p, penalty);
        var result = Array.ConvertAll(rhs, v => (float)v);
        return result.All(float.IsFinite) ? result : null;
    }

    /// <summary>
    /// The AR models of every order in <paramref name="orders"/>, each as <see cref="Fit"/> fits it alone (null where that
    /// gives none; on at most <see cref="MaxFitWindows"/> evenly spaced targets of a very long series), from one pass over the windows: a window every order reads goes into one gram of the largest order,
    /// whose trailing block (the lags nearest the target) and bias row are each smaller order's gram, and only the windows
    /// some orders skip (the first ones, or where a gap leaves an input mostly missing) into grams of their own. The window
    /// choice tries up to 22 orders of a long season (up to 1,009 lags over 14,000 windows of a year of half-hours), which
    /// fitted one by one took most of its time. The sums' order differs from <see cref="Fit"/>'s, so the coefficients agree to
    /// rounding, not to the bit. Each smaller order also keeps a gram of its own for the first windows (those before the
    /// largest order's first target): for the 22 orders of a weekly season of half-hours about 35 MB, held during the fit.
    /// </summary>
    /// <param name="weights">Per part (null: every window 1), per target index, the weight of that target's window (Huber's,
    /// from <see cref="FitOrdersRobust"/>); null: every window counts once.</param>
    internal static float[]?[] FitOrders(IReadOnlyList<SeriesPart> parts, IReadOnlyList<int> orders, bool relative, double ridge = 1e-3, double[]?[]? weights = null)
    {
        var result = new float[]?[orders.Count];
        if (orders.Count == 0) return result;
        int largest = orders.Max(), big = (relative ? largest - 1 : largest) + 1, smallest = orders.Min();
        if (big < 2) return result;
        // Beyond MaxFitWindows targets, that many evenly spaced ones (the same whatever the orders, so the candidates stay
        // comparable; a whole stride of 2 just past the cap would drop half of them).
        long targets = parts.Sum(part => (long)Math.Max(0, part.To - Math.Max(smallest, part.From))), index = -1;
        var gram = new double[big * big];
        var rhs = new double[big];
        long shared = 0;
        // Per order, the windows only some orders read (allocated when one first comes).
        var ownGram = new double[]?[orders.Count];
        var ownRhs = new double[]?[orders.Count];
        var ownCount = new long[orders.Count];
        var x = new double[big];
        var valid = new bool[orders.Count];
        for (int partIndex = 0; partIndex < parts.Count; partIndex++)
        {
            var part = parts[partIndex];
            var f = part.Filled; var raw = part.Raw;
            double center = part.Center, inv = 1.0 / part.Scale;
            int first = Math.Max(smallest, part.From);
            for (int t = first; t < part.To; t++)
            {
                index++;
                if (Thinned(index, targets)) continue;
                if (float.IsNaN(raw[t])) continue;
                bool all = true;
                for (int k = 0; k < orders.Count; k++)
                {
                    int order = orders[k];
                    // An order without inputs (1 in the relative form) fits nothing and does not keep the others from sharing.
                    if ((relative ? order - 1 : order) < 1) { valid[k] = false; continue; }
                    valid[k] = t >= order && !InputMostlyMissing(raw, t, order);
                    all &= valid[k];
                }
                double level = relative ? f[t - 1] : center;
                double y = (raw[t] - level) * inv;
                // A weighted window is the plain one scaled by the weight's root (weighted least squares).
                double root = weights?[partIndex] is { } partWeights ? Math.Sqrt(partWeights[t]) : 1;
                y *= root;
                if (all)
                {
                    Features(f, t, largest, level, inv, relative, x);
                    if (root != 1) TensorPrimitives.Multiply(x, root, x);
                    AccumulateLowerGram(x, y, gram, rhs, big);
                    shared++;
                    continue;
                }
                for (int k = 0; k < orders.Count; k++)
                {
                    if (!valid[k]) continue;
                    int p = (relative ? orders[k] - 1 : orders[k]) + 1;
                    Features(f, t, orders[k], level, inv, relative, x);
                    if (root != 1) TensorPrimitives.Multiply(x.AsSpan(0, p), root, x.AsSpan(0, p));
                    AccumulateLowerGram(x.AsSpan(0, p), y, ownGram[k] ??= new double[p * p], ownRhs[k] ??= new double[p], p);
                    ownCount[k]++;
                }
            }
        }
        for (int k = 0; k < orders.Count; k++)
        {
            int features = relative ? orders[k] - 1 : orders[k], p = features + 1, offset = big - p;
            if (features < 1) continue;
            long n = shared + ownCount[k];
            if (n < 2L * p) continue;
            var g = new double[p * p];
            var r = new double[p];
            // Row i of this order is row offset + i of the largest (its lags are the largest's last ones), the bias last in both.
            for (int i = 0; i < p; i++)
            {
                r[i] = rhs[offset + i] + (ownRhs[k]?[i] ?? 0);
                for (int j = 0; j <= i; j++) g[i * p + j] = gram[(offset + i) * big + offset + j] + (ownGram[k]?[i * p + j] ?? 0);
            }
            result[k] = Solve(g, r, p, ridge * n);
            // As the autoregression member: an explosive fit turns one odd last value into a forecast without bound.
            if (result[k] is { } c && Explosive(c, relative)) result[k] = null;
        }
        return result;
    }

    /// <summary>
    /// Whether an AR model's recursion on the levels grows (<see cref="Statistics.DifferencedAutoregression.Explosive"/>):
    /// the relative form predicts y_t = (1 - Σ w) y_{t-1} + Σ w_j y_{t-p+j}, the absolute one y_t = Σ c_j y_{t-p+j}.
    /// </summary>
    internal static bool Explosive(float[] c, bool relative)
    {
        int features = c.Length - 1, p = relative ? features + 1 : features;
        var level = new double[p]; // level[l - 1]: the coefficient of lag l
        double total = 0;
        for (int j = 0; j < features; j++) { level[p - j - 1] += c[j]; total += c[j]; }
        if (relative) level[0] += 1 - total;
        return Statistics.DifferencedAutoregression.Explosive(Enumerable.Range(1, p).ToArray(), level);
    }

    /// <summary>
    /// Targets <see cref="FitOrders"/> reads at most (evenly spaced beyond it). The gram of a weekly season's AR (up to 1,009
    /// lags) grows with the series' length: three years of half-hours (42,000 targets) took 14 s of a 58 s training here, one
    /// year's 14,000 fit within it unthinned; 16,384 windows are still 16 per coefficient of the longest order.
    /// </summary>
    public const int MaxFitWindows = 1 << 14;

    /// <summary>Whether target number <paramref name="index"/> of <paramref name="targets"/> is skipped to keep at most <see cref="MaxFitWindows"/>, evenly spaced.</summary>
    static bool Thinned(long index, long targets) =>
        targets > MaxFitWindows && (index + 1) * MaxFitWindows / targets == index * MaxFitWindows / targets;

    /// <summary>Whether the <paramref name="order"/> inputs of the target at <paramref name="t"/> are mostly missing (interpolated across a gap: not a window a forecast would start from).</summary>
    static bool InputMostlyMissing(float[] raw, int t, int order) => SeriesMath.MostlyMissing(SeriesMath.CountMissing(raw.AsSpan(t - order, order)), order);

    /// <summary>The encoded inputs of an AR of <paramref name="order"/> for the target at <paramref name="t"/>, then the bias' 1.</summary>
    static void Features(float[] f, int t, int order, double level, double inv, bool relative, Span<double> x)
    {
        int features = relative ? order - 1 : order;
        for (int j = 0; j < features; j++) x[j] = (f[t - order + j] - level) * inv;
        x[features] = 1;
    }

    /// <summary>
    /// Adds one window's outer product to the lower triangle of <paramref name="gram"/> ([p, p], row i holding columns 0..i)
    /// and x·y to <paramref name="rhs"/>. Each row is one vectorised multiply-then-add (not fused), so every entry sums the
    /// same roundings in the same order as <see cref="AccumulateLowerGramScalar"/>: a long season's AR of order 1,000 over
    /// thousands of windows is most of the window choice's time, and the fitted highway stays the same to the bit.
    /// </summary>
    internal static void AccumulateLowerGram(ReadOnlySpan<double> x, double y, Span<double> gram, Span<double> rhs, int p)
    {
        for (int i = 0; i < p; i++)
        {
            double xi = x[i];
            if (xi == 0) continue;
            var row = gram.Slice(i * p, i + 1);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x[..(i + 1)], xi, row, row);
            rhs[i] += xi * y;
        }
    }

    /// <summary>The scalar reference of <see cref="AccumulateLowerGram"/>.</summary>
    internal static void AccumulateLowerGramScalar(ReadOnlySpan<double> x, double y, Span<double> gram, Span<double> rhs, int p)
    {
        for (int i = 0; i < p; i++)
        {
            double xi = x[i];
            if (xi == 0) continue;
            for (int j = 0; j <= i; j++) gram[i * p + j] += xi * x[j];
            rhs[i] += xi * y;
        }
    }

    /// <summary>Metadata form: models separated by ';', coefficients by ',' (round-trip formatted).</summary>
    internal string Serialize() => _map is { } map
        ? $"map:{map.Window.ToString(CultureInfo.InvariantCulture)}:{string.Join(",", map.Matrix.Select(ModelSerializer.Format))};{string.Join(",", map.Bias.Select(ModelSerializer.Format))}"
        : (Relative ? "relative:" : "absolute:") + string.Join(";", _coefficients.Select(c => string.Join(",", c.Select(ModelSerializer.Format))));

    internal static LinearHighway Parse(string text)
    {
        int colon = text.IndexOf(':');
        if (colon < 0) throw new FormatException("Highway metadata lacks its form.");
        if (text[..colon] == "map")
        {
            int second = text.IndexOf(':', colon + 1);
            if (second < 0) throw new FormatException("Highway map lacks its window.");
            int window = int.Parse(text[(colon + 1)..second], CultureInfo.InvariantCulture);
            var parts = text[(second + 1)..].Split(';');
            if (parts.Length != 2) throw new FormatException("Highway map needs weights and biases.");
            static float[] Floats(string v) => v.Split(',').Select(x => float.Parse(x, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            return FromMap(Floats(parts[0]), Floats(parts[1]), window);
        }
        bool relative = text[..colon] switch
        {
            "relative" => true,
            "absolute" => false,
            var other => throw new FormatException($"Unknown highway form '{other}'."),
        };
        var models = text[(colon + 1)..].Split(';').Select(m => m.Split(',').Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return new LinearHighway(relative, models);
    }
}
