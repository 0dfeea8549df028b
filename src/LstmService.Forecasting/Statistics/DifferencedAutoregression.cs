using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Statistics;

/// <summary>
/// An autoregression on first differences around their mean (an ARIMA(p,1,0) with drift): d_t - μ = Σ φ_j (d_{t-j} - μ),
/// where μ is the mean step of whatever history is forecast from. The lag set (1..p, with or without the lags around one and
/// two multiples of each season longer than p) is chosen by AICc and the φ fitted by least squares pooled over the series,
/// each on its own scale, so one model serves every series of a global model.
/// </summary>
public sealed class DifferencedAutoregression
{
    readonly int[] _lags;
    readonly double[] _coefficients;

    public DifferencedAutoregression(int[] lags, double[] coefficients, bool differenced = true, double stepLimit = double.PositiveInfinity, double? stepUnit = null)
    {
        if (!(stepLimit > 0)) throw new ArgumentOutOfRangeException(nameof(stepLimit), stepLimit, "The step limit is a positive number (infinity: none).");
        if (stepUnit is { } u && !(u > 0 && double.IsFinite(u))) throw new ArgumentOutOfRangeException(nameof(stepUnit), stepUnit, "The step unit is a positive finite number.");
        ArgumentNullException.ThrowIfNull(lags);
        ArgumentNullException.ThrowIfNull(coefficients);
        if (lags.Length != coefficients.Length) throw new ArgumentException("One coefficient per lag.", nameof(coefficients));
        for (int j = 0; j < lags.Length; j++)
            if (lags[j] < 1 || (j > 0 && lags[j] <= lags[j - 1])) throw new ArgumentException("Lags must be positive and increasing.", nameof(lags));
        if (!coefficients.All(double.IsFinite)) throw new ArgumentException("Coefficients must be finite.", nameof(coefficients));
        _lags = lags;
        _coefficients = coefficients;
        Differenced = differenced;
        StepLimit = stepLimit;
        StepUnit = stepUnit;
    }

    /// <summary>
    /// The training series' mean absolute step (the unit of the default window-level scaling) that <see cref="StepLimit"/>
    /// was measured in, or null (the limit is absolute: models stored before it existed, and models on another scaling,
    /// whose unit measures levels rather than steps). A history forecast from has its
    /// limit scaled by its own unit over this one, so the limit follows the history's units: read in the training series'
    /// absolute units, the limit had cut every step of the same pattern ten times larger (a one-series version's forecast of
    /// the sunspots times 1,000 was 62, then zeros).
    /// </summary>
    public double? StepUnit { get; }

    /// <summary>This autoregression with its limit measured in <paramref name="unit"/> (see <see cref="StepUnit"/>).</summary>
    public DifferencedAutoregression WithStepUnit(double unit) =>
        double.IsFinite(StepLimit) ? new DifferencedAutoregression(_lags, _coefficients, Differenced, StepLimit, unit) : this;

    /// <summary>The limit for a history whose unit is <paramref name="unit"/> (NaN: the history the limit was measured on).</summary>
    internal double LimitFor(double unit) => StepUnit is { } trained && unit > 0 && double.IsFinite(unit) ? StepLimit * (unit / trained) : StepLimit;

    /// <summary>
    /// How far an observed step may lie from the history's mean step as the differenced recursion reads it (infinity: no
    /// limit); farther ones are read at the limit. For a model of one series, the largest such distance among the training
    /// series' steps that are no isolated outliers (see <see cref="StepLimitOf"/>), on the model's scale; none for a global
    /// model, whose series have scales of their own. One glitch as the last value is one such step: with φ about 0.9 on lag 1
    /// (the steps of a smooth monthly season) the logged recursion had carried a glitch of 600 in a series about 100 to 2,720
    /// at the next step and 502,400 a year on; read at the limit, 728 and 1,686.
    /// </summary>
    public double StepLimit { get; }

    /// <summary>True: an AR on first differences around their mean (ARIMA(p,1,0) with drift); false: on the levels around
    /// their mean (a stationary ARIMA(p,0,0), for cycles such as the lynx's), whichever has the lower AICc.</summary>
    public bool Differenced { get; }

    public IReadOnlyList<int> Lags => _lags;
    public IReadOnlyList<double> Coefficients => _coefficients;
    /// <summary>Values estimated from the history: a coefficient per lag and the mean (of the levels or of the differences, the drift).</summary>
    public int ParameterCount => _lags.Length + 1;
    /// <summary>Longest lag (0: a random walk with drift).</summary>
    public int Order => _lags.Length == 0 ? 0 : _lags[^1];

    /// <summary>Fits on the (transformed, gap-filled) series; <paramref name="seasons"/> are the season lengths detected.</summary>
    /// <param name="relative">false for series already on the log scale (their outlying steps judged as they are, see <see cref="OutlyingSteps"/>).</param>
    /// <param name="global">The series are some of a global model's (fitted on without its far shorter ones): no step limit, as for several series.</param>
    public static DifferencedAutoregression Fit(IReadOnlyList<double[]> series, IReadOnlyList<int> seasons, CancellationToken cancellationToken = default, bool relative = true,
        bool global = false)
    {
        // Both forms predict the next value, so their one-step errors compare once each series is put on one scale (its
        // mean absolute step) and they are scored on the same targets.
        var steps = new List<double[]>();
        var levels = new List<double[]>();
        foreach (var y in series)
        {
            if (y.Length < 3) continue;
            var d = new double[y.Length - 1];
            double drift = (y[^1] - y[0]) / d.Length, scale = 0, mean = y.Average();
            for (int t = 1; t < y.Length; t++) { d[t - 1] = y[t] - y[t - 1]; scale += Math.Abs(d[t - 1]); }
            scale = scale > 0 ? scale / d.Length : 1;
            for (int t = 0; t < d.Length; t++) d[t] = (d[t] - drift) / scale;
            steps.Add(d);
            levels.Add(y.Select(v => (v - mean) / scale).ToArray());
        }
        if (steps.Count == 0) return new DifferencedAutoregression([], []);
        double stepLimit = global ? double.PositiveInfinity : StepLimitOf(series, relative);
        int shortest = steps.Min(d => d.Length), limit = Math.Max(1, shortest / 4);
        int shortMax = 8;
        foreach (var s in seasons) if (s <= 24) shortMax = Math.Max(shortMax, 2 * s + 1);
        var sets = new List<int[]>();
        for (int p = 1; p <= Math.Min(shortMax, limit); p++)
        {
            var basic = Enumerable.Range(1, p).ToArray();
            sets.Add(basic);
            var seasonal = new SortedSet<int>(basic);
            foreach (var s in seasons)
                if (s > p)
                    for (int k = 1; k <= 2; k++)
                        for (int j = -1; j <= 1; j++)
                            if (5 * (k * s + j) <= 2 * shortest) seasonal.Add(k * s + j);
            if (seasonal.Count > p) sets.Add(seasonal.ToArray());
        }
        int start = sets.Count == 0 ? 1 : sets.Max(l => l[^1]);
        var best = new DifferencedAutoregression([], [], true, stepLimit);
        double bestAicc = double.PositiveInfinity;
        foreach (var differenced in new[] { true, false })
            foreach (var lags in sets)
            {
                cancellationToken.ThrowIfCancellationRequested(); // a lag set is a pass over every series
                var c = LeastSquares(differenced ? steps : levels, lags, differenced ? start : start + 1, out double sse, out int count);
                int k = lags.Length + 1;
                // At least four targets per coefficient: on a short series the AICc alone lets long lag sets overfit.
                if (c is null || count < 4 * k) continue;
                // An explosive fit turns one odd last value into a forecast that grows without end: a glitch of 6x the level
                // as the last value of a monthly series was forecast at 1e33 eleven steps on (R's arima keeps an AR stationary).
                if (Explosive(lags, c)) continue;
                double aicc = count * Math.Log(Math.Max(sse, 1e-300) / count) + 2 * k + 2.0 * k * (k + 1) / (count - k - 1);
                if (aicc < bestAicc) { bestAicc = aicc; best = new DifferencedAutoregression(lags, c, differenced, stepLimit); }
            }
        return best;
    }

    /// <summary>
    /// <see cref="StepLimit"/> for <paramref name="series"/>: the largest distance from the mean step among the one series'
    /// steps that are no isolated outliers (<see cref="OutlyingSteps.IsolatedSteps"/>: a sharp season's recurring jumps
    /// count, a glitch's pair does not); none for several series. Always a limit for one series, isolated steps or not: a
    /// model fitted on a series without spikes still meets a glitch in a later history.
    /// </summary>
    static double StepLimitOf(IReadOnlyList<double[]> series, bool relative)
    {
        if (series.Count != 1 || series[0].Length < 4) return double.PositiveInfinity;
        var y = series[0];
        var isolated = OutlyingSteps.IsolatedSteps(y, SeasonDetector.Candidates, relative);
        double mean = (y[^1] - y[0]) / (y.Length - 1), limit = 0;
        for (int t = 0; t < isolated.Length; t++) if (!isolated[t]) limit = Math.Max(limit, Math.Abs(y[t + 1] - y[t] - mean));
        return limit > 0 ? limit : double.PositiveInfinity;
    }

    /// <summary>Forecasts <paramref name="output"/>.Length steps after <paramref name="y"/> (at least two values).</summary>
    public void Forecast(ReadOnlySpan<double> y, Span<double> output)
    {
        if (!Differenced) { ForecastLevels(y, output); return; }
        Forecast(y[Math.Max(0, y.Length - Order - 1)..], y.Length, y[0], 0, output);
    }

    /// <summary>
    /// The same forecast from what a stream keeps of the history: its last <see cref="Order"/> + 1 values (fewer when it is
    /// shorter) in <paramref name="recent"/>, its length, first value and sum (added from the first value to the last).
    /// </summary>
    /// <param name="unit">The history's unit (<see cref="StepUnit"/>); NaN for the series the model was fitted on (training's own origins).</param>
    internal void Forecast(ReadOnlySpan<double> recent, int n, double first, double sum, Span<double> output, double unit = double.NaN)
    {
        int p = Order, L = _lags.Length, offset = n - recent.Length; // recent[i] is y[offset + i]
        if (!Differenced)
        {
            ForecastLevels(recent, n, sum, output);
            return;
        }
        double mean = n > 1 ? (recent[^1] - first) / (n - 1) : 0, limit = LimitFor(unit);
        var d = new double[p + output.Length];
        for (int j = 0; j < p; j++)
            d[j] = n - p + j >= 1 ? Math.Clamp(recent[n - p + j - offset] - recent[n - p + j - 1 - offset] - mean, -limit, limit) : 0;
        double last = recent[^1];
        for (int h = 0; h < output.Length; h++)
        {
            double v = 0;
            for (int j = 0; j < L; j++) v += _coefficients[j] * d[p + h - _lags[j]];
            d[p + h] = v;
            last += v + mean;
            output[h] = last;
        }
    }

    /// <summary>
    /// Row r of <paramref name="output"/> (from <paramref name="offset"/>, <paramref name="stride"/> apart) forecasts
    /// <paramref name="steps"/> values after y[..origins[r]], the same numbers as <see cref="Forecast"/> on each prefix. The
    /// levels model's mean is kept as a running sum, added in the same order as a prefix's own sum, so increasing origins
    /// read the series once instead of once each (which made the trainer's mixing quadratic in a long series' length).
    /// </summary>
    public void ForecastsAlong(double[] y, IReadOnlyList<int> origins, int steps, double[] output, int offset, int stride)
    {
        double sum = 0;
        int summed = 0;
        for (int r = 0; r < origins.Count; r++)
        {
            int n = origins[r];
            var row = output.AsSpan(offset + r * stride, steps);
            if (Differenced) { Forecast(y.AsSpan(0, n), row); continue; }
            if (n < summed) { sum = 0; summed = 0; } // an origin before the last one: start the sum again
            for (; summed < n; summed++) sum += y[summed];
            ForecastLevels(y.AsSpan(0, n), sum, row);
        }
    }

    void ForecastLevels(ReadOnlySpan<double> y, Span<double> output)
    {
        double sum = 0;
        foreach (var v in y) sum += v;
        ForecastLevels(y, sum, output);
    }

    /// <param name="sum">The sum of <paramref name="y"/>, added from its first value to its last.</param>
    void ForecastLevels(ReadOnlySpan<double> y, double sum, Span<double> output) =>
        ForecastLevels(y[Math.Max(0, y.Length - Order)..], y.Length, sum, output);

    /// <param name="recent">The history's last values (at least <see cref="Order"/> of them when it has that many).</param>
    /// <param name="n">The history's length.</param>
    void ForecastLevels(ReadOnlySpan<double> recent, int n, double sum, Span<double> output)
    {
        int p = Order, L = _lags.Length, offset = n - recent.Length;
        double mean = sum / Math.Max(1, n);
        var z = new double[p + output.Length];
        for (int j = 0; j < p; j++) z[j] = n - p + j >= 0 ? recent[n - p + j - offset] - mean : 0;
        for (int h = 0; h < output.Length; h++)
        {
            double v = 0;
            for (int j = 0; j < L; j++) v += _coefficients[j] * z[p + h - _lags[j]];
            z[p + h] = v;
            output[h] = mean + v;
        }
    }

    /// <summary>
    /// Whether the recursion x_t = Σ φ_j x_{t-lag_j} grows faster than <see cref="ExplosiveGrowth"/> per step: its response to
    /// a unit impulse, after max(500, 4·p) steps, exceeds that growth compounded over them somewhere in its last p values.
    /// </summary>
    internal static bool Explosive(IReadOnlyList<int> lags, IReadOnlyList<double> coefficients)
    {
        if (lags.Count == 0) return false;
        int p = lags[^1], steps = Math.Max(500, 4 * p);
        double limit = Math.Pow(ExplosiveGrowth, steps);
        var x = new double[p + steps];
        x[p - 1] = 1;
        for (int t = p; t < x.Length; t++)
        {
            double v = 0;
            for (int j = 0; j < lags.Count; j++) v += coefficients[j] * x[t - lags[j]];
            if (!double.IsFinite(v) || Math.Abs(v) > 1e300) return true;
            x[t] = v;
        }
        for (int t = x.Length - p; t < x.Length; t++)
            if (Math.Abs(x[t]) > limit) return true;
        return false;
    }

    /// <summary>
    /// The growth per step from which a fit counts as explosive: a shock then grows tenfold within 48 steps. A season's
    /// near-unit roots (1.005 to 1.007 on UKgas's logged differences, whose season grows) stay; the fits an odd last value
    /// made absurd grew 1.25 to 1.5 per step.
    /// </summary>
    internal const double ExplosiveGrowth = 1.05;

    static double[]? LeastSquares(List<double[]> steps, int[] lags, int start, out double sse, out int count)
    {
        int L = lags.Length;
        var gram = new double[L * L];
        var rhs = new double[L];
        var x = new double[L];
        count = 0;
        foreach (var d in steps)
            for (int t = start; t < d.Length; t++)
            {
                for (int j = 0; j < L; j++) x[j] = d[t - lags[j]];
                for (int a = 0; a < L; a++)
                {
                    rhs[a] += x[a] * d[t];
                    for (int b = 0; b < L; b++) gram[a * L + b] += x[a] * x[b];
                }
                count++;
            }
        double trace = 0;
        for (int a = 0; a < L; a++) trace += gram[a * L + a];
        for (int a = 0; a < L; a++) gram[a * L + a] += 1e-6 * trace / L + 1e-12;
        sse = double.NaN;
        if (!Cholesky.Solve(gram, rhs, L)) return null;
        sse = 0;
        foreach (var d in steps)
            for (int t = start; t < d.Length; t++)
            {
                double v = 0;
                for (int j = 0; j < L; j++) v += rhs[j] * d[t - lags[j]];
                sse += (d[t] - v) * (d[t] - v);
            }
        return rhs;
    }
}
