using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Statistics;

/// <summary>
/// Additive-error exponential smoothing (the ETS(A,N|A|Ad,N|A) family of Hyndman et al.) on an already transformed series:
/// level, optional (damped) trend and optional additive season of <see cref="Season"/> steps. The smoothing parameters are
/// fitted once (on the next <see cref="FitSteps"/> forecasts' errors from every origin, robustly); the initial states are a fixed
/// function of the history's first values and of the parameters, so a forecast from any history (the training series or a
/// later, longer one) runs the same filter from its own start.
/// </summary>
public sealed class ExponentialSmoothing
{
    public ExponentialSmoothing(bool trend, bool damped, int season, double alpha, double beta, double gamma, double phi)
    {
        // Each parameter named on its own, so a stored ensemble's error points at the one out of range.
        if (!(alpha > 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The level's smoothing alpha must lie in (0, 1].");
        if (!(beta >= 0 && beta <= 1)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "The trend's smoothing beta must lie in [0, 1].");
        if (!(gamma >= 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "The season's smoothing gamma must lie in [0, 1].");
        if (!(phi > 0 && phi <= 1)) throw new ArgumentOutOfRangeException(nameof(phi), phi, "The damping phi must lie in (0, 1].");
        ArgumentOutOfRangeException.ThrowIfNegative(season);
        Trend = trend; Damped = trend && damped; Season = season >= 2 ? season : 1;
        Alpha = alpha; Beta = trend ? beta : 0; Gamma = Season > 1 ? gamma : 0; Phi = Damped ? phi : 1;
    }

    public bool Trend { get; }
    public bool Damped { get; }
    /// <summary>Season length (1: no seasonal state).</summary>
    public int Season { get; }
    public double Alpha { get; }
    public double Beta { get; }
    public double Gamma { get; }
    public double Phi { get; }

    /// <summary>Short name in Hyndman's notation: ETS(A,Ad,A) and so on.</summary>
    public string Name => $"ETS(A,{(Trend ? Damped ? "Ad" : "A" : "N")},{(Season > 1 ? "A" : "N")})";

    /// <summary>Smoothing parameters estimated, plus the initial states (counted as R's ets counts them).</summary>
    public int ParameterCount => 1 + (Trend ? 1 : 0) + (Damped ? 1 : 0) + (Season > 1 ? 1 : 0) + 1 + (Trend ? 1 : 0) + (Season > 1 ? Season - 1 : 0);

    /// <summary>Fewest values a model of this shape is fitted on: two full seasons, or a handful of points.</summary>
    public static int MinimumLength(bool trend, int season) => season >= 2 ? 2 * season + 2 : trend ? 6 : 4;

    /// <summary>
    /// Runs the filter over <paramref name="y"/>; returns the sum of squared one-step errors (from <paramref name="scoreFrom"/> on)
    /// and writes the one-step forecasts into <paramref name="oneStep"/> when given (its element t forecasts y[t]).
    /// <paramref name="state"/> receives the final level, trend and seasonal states.
    /// </summary>
    public double Filter(ReadOnlySpan<double> y, out FilterState state, Span<double> oneStep = default, int scoreFrom = 0)
    {
        int n = y.Length, m = Season;
        var seasonal = new double[m];
        Initialize(y, seasonal, out double level, out double trend);
        double sse = 0;
        for (int t = 0; t < n; t++)
        {
            double e = Step(ref level, ref trend, seasonal, t, y[t], out double forecast);
            if (!oneStep.IsEmpty) oneStep[t] = forecast;
            if (t >= scoreFrom) sse += e * e;
        }
        state = new FilterState(level, trend, seasonal, n);
        return sse;
    }

    /// <summary>
    /// Forecasts whose errors from every origin the parameters are fitted on: R's <c>ets(opt.crit = "amse")</c> with its
    /// default <c>nmse = 3</c>. One-step errors alone let a short series' parameters chase its last values (a trend's beta
    /// fitted to the noise); the next three forecasts' errors ask the states to hold a little longer. Measured on the six
    /// suites' 134 series (2026-12-03): the geometric-mean MASE ratio to the per-series best R 1.037 -> 1.028 (2 steps:
    /// 1.062, 3: 1.058, 4: 1.063 on the 114 series of four suites, against 1.070 with one).
    /// </summary>
    public const int FitSteps = 3;

    /// <summary>
    /// Huber's threshold for those errors, in robust deviations of the series' steps (<see cref="HuberThreshold"/>): an error
    /// beyond it counts in proportion to its size, not its square. A value the spike rules leave in is the target of three
    /// origins' forecasts where it had been one's, and with squares alone a glitch in the forecast suite (`suite --glitch
    /// 10`) cost 1.028 -> 1.050; with the threshold 1.029, and the 134 series 1.028 -> 1.022. Three, as the highway's
    /// (<see cref="Models.LinearHighway.HuberThreshold"/>).
    /// </summary>
    public const double HuberDeviations = 3;

    /// <summary>
    /// <see cref="HuberDeviations"/> robust deviations (1.4826 median absolute deviations) of <paramref name="y"/>'s steps;
    /// infinite where they have none (a constant step, or fewer than four values), so that every error counts squared.
    /// </summary>
    internal static double HuberThreshold(ReadOnlySpan<double> y)
    {
        if (y.Length < 4) return double.PositiveInfinity;
        var steps = new double[y.Length - 1];
        for (int t = 1; t < y.Length; t++) steps[t - 1] = y[t] - y[t - 1];
        double deviation = SeriesMath.RobustCentre(steps).Deviation;
        return deviation > 0 ? HuberDeviations * deviation : double.PositiveInfinity;
    }

    /// <summary>
    /// The sum over every origin t of the mean loss of the forecasts of y[t .. t + steps - 1] made before y[t] was observed
    /// (fewer steps at the last origins): the squared error, or past <paramref name="huber"/> Huber's 2k|e| - k². With one
    /// step and no threshold, the one-step sum of squares <see cref="Filter"/> returns.
    /// </summary>
    public double MultiStepError(ReadOnlySpan<double> y, int steps, double huber = double.PositiveInfinity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        int n = y.Length, m = Season;
        var seasonal = new double[m];
        Initialize(y, seasonal, out double level, out double trend);
        double total = 0;
        for (int t = 0; t < n; t++)
        {
            int ahead = Math.Min(steps, n - t);
            double damp = 0, power = 1, loss = 0;
            for (int h = 0; h < ahead; h++)
            {
                power *= Phi;
                damp += power;
                double e = y[t + h] - (level + damp * trend + seasonal[(t + h) % m]);
                double size = Math.Abs(e);
                loss += size <= huber ? e * e : (2 * size - huber) * huber;
            }
            total += loss / ahead;
            Step(ref level, ref trend, seasonal, t, y[t], out _);
        }
        return total;
    }

    /// <summary>
    /// One step of the filter: the states after observing <paramref name="y"/> at time <paramref name="t"/>; returns the
    /// one-step error. The one update <see cref="Filter"/> and a stream's state (one observation at a time) both run.
    /// </summary>
    internal double Step(ref double level, ref double trend, double[] seasonal, int t, double y, out double forecast)
    {
        int p = t % Season;
        forecast = level + Phi * trend + seasonal[p];
        double e = y - forecast;
        double next = level + Phi * trend + Alpha * e;
        trend = Phi * trend + Beta * e;
        seasonal[p] += Gamma * e;
        level = next;
        return e;
    }

    /// <summary>
    /// Values of a history the initial states read (the first three seasons and the first ~1/α values): from this length on
    /// they no longer change as the history grows.
    /// </summary>
    internal int InitialLength
    {
        get
        {
            double k = Math.Max(Math.Ceiling(1.0 / Alpha), Season > 1 ? Season : Trend ? 3 : 1);
            return (int)Math.Min(Math.Max(k, Season > 1 ? 3.0 * Season : 1), int.MaxValue);
        }
    }

    /// <summary>
    /// Forecasts from every origin by running the filter along <paramref name="y"/> (one pass, and one more per origin
    /// before the initial states settle): row r (at
    /// <c>offset + r * stride</c> in <paramref name="output"/>) forecasts <paramref name="steps"/> values after y[..origins[r]].
    /// An origin within the first <paramref name="fitted"/> values (the part the model was fitted on) starts from the
    /// initial states of all of them, as the fit did; a later one reads only the values before it, as a forecast from that
    /// history does. The initial states read the first <see cref="InitialLength"/> values, which had been those of the whole
    /// series: where that reached past an origin (three periods of a long season, or a level slow to adapt), a validation
    /// window's starting states read its own targets. Origins are increasing; an origin 0 (no history) reads the whole
    /// series' initial states, as before (the trainer's origins are at least 2).
    /// </summary>
    public void ForecastsAlong(ReadOnlySpan<double> y, IReadOnlyList<int> origins, int steps, double[] output, int offset, int stride, int fitted)
    {
        int n = y.Length, settled = Math.Min(InitialLength, n);
        fitted = Math.Clamp(fitted, 0, n);
        int within = 0, early;
        while (fitted > 0 && within < origins.Count && origins[within] <= fitted) within++;
        for (early = within; early < origins.Count && origins[early] < settled; early++) { }
        if (within > 0) Along(y, fitted, origins, 0, within, steps, output, offset, stride);
        // An origin before the initial states settle starts from those of its own history (one filter each).
        for (int r = within; r < early; r++)
            if (origins[r] > 0) Along(y, origins[r], origins, r, r + 1, steps, output, offset, stride);
            else Along(y, n, origins, r, r + 1, steps, output, offset, stride);
        if (early < origins.Count) Along(y, n, origins, early, origins.Count, steps, output, offset, stride);
    }

    /// <summary>Rows [<paramref name="from"/>, <paramref name="to"/>) of <see cref="ForecastsAlong"/>, the initial states from y[..<paramref name="head"/>].</summary>
    void Along(ReadOnlySpan<double> y, int head, IReadOnlyList<int> origins, int from, int to, int steps, double[] output, int offset, int stride)
    {
        int n = y.Length, m = Season, next = from;
        var seasonal = new double[m];
        Initialize(y[..head], seasonal, out double level, out double trend);
        for (int t = 0; t <= n && next < to; t++)
        {
            while (next < to && origins[next] == t)
            {
                double damp = 0, power = 1;
                int at = offset + next * stride;
                for (int h = 0; h < steps; h++)
                {
                    power *= Phi;
                    damp += power;
                    output[at + h] = level + damp * trend + seasonal[(t + h) % m];
                }
                next++;
            }
            if (t == n) break;
            int p = t % m;
            double e = y[t] - (level + Phi * trend + seasonal[p]);
            double nextLevel = level + Phi * trend + Alpha * e;
            trend = Phi * trend + Beta * e;
            seasonal[p] += Gamma * e;
            level = nextLevel;
        }
    }

    /// <summary>Point forecasts of the next <paramref name="output"/>.Length steps after the filtered history.</summary>
    public void Forecast(in FilterState state, Span<double> output)
    {
        double damp = 0, power = 1;
        for (int h = 0; h < output.Length; h++)
        {
            power *= Phi;
            damp += power;
            output[h] = state.Level + damp * state.Trend + state.Seasonal[(state.Length + h) % Season];
        }
    }

    /// <summary>
    /// Initial states from the first values: seasonal states from up to three full seasons around their own means, then the
    /// level (and trend) from a line through the first ~1/α deseasonalised values, so a slowly adapting level starts at a
    /// mean over its own memory rather than at the first observation.
    /// </summary>
    internal void Initialize(ReadOnlySpan<double> y, double[] seasonal, out double level, out double trend)
    {
        int n = y.Length, m = Season;
        int seasons = Math.Min(n / m, 3);
        if (m > 1 && seasons >= 1)
        {
            double slope = 0;
            var means = new double[seasons];
            for (int r = 0; r < seasons; r++)
            {
                double s = 0;
                for (int j = 0; j < m; j++) s += y[r * m + j];
                means[r] = s / m;
            }
            if (seasons >= 2) slope = (means[seasons - 1] - means[0]) / ((seasons - 1) * m);
            double total = 0;
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int r = 0; r < seasons; r++) s += y[r * m + j] - (means[r] + (j - (m - 1) / 2.0) * slope);
                seasonal[j] = s / seasons;
                total += seasonal[j];
            }
            for (int j = 0; j < m; j++) seasonal[j] -= total / m;
        }
        int minimum = m > 1 ? m : Trend ? 3 : 1;
        int k = (int)Math.Clamp(Math.Ceiling(1.0 / Alpha), Math.Min(minimum, n), n);
        if (Trend && k >= 2)
        {
            // Least-squares line through the first k deseasonalised values, evaluated one step before the first.
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (int t = 0; t < k; t++)
            {
                double v = y[t] - seasonal[t % m];
                sx += t; sy += v; sxx += (double)t * t; sxy += t * v;
            }
            double denominator = k * sxx - sx * sx;
            trend = denominator > 0 ? (k * sxy - sx * sy) / denominator : 0;
            level = (sy - trend * sx) / k - trend;
        }
        else
        {
            double s = 0;
            for (int t = 0; t < k; t++) s += y[t] - seasonal[t % m];
            level = s / k;
            trend = 0;
        }
    }

    /// <summary>
    /// Fits the smoothing parameters of one shape on the next <see cref="FitSteps"/> forecasts' errors from every origin over
    /// every series (squared, Huber's beyond <see cref="HuberDeviations"/> robust deviations of each series' steps; each series
    /// weighted by <paramref name="weights"/>, the inverse of its squared scale, so series on different scales count alike), by
    /// Nelder-Mead over the admissible region 0 &lt; β &lt; α &lt; 1, 0 &lt; γ &lt; 1 - α, 0.8 ≤ φ ≤ 0.98. Returns the model and
    /// its AICc, from its one-step squared errors (the likelihood the shapes are compared by).
    /// <paramref name="cancellationToken"/> is checked at every pass over the series: a shape of a long series takes seconds.
    /// </summary>
    public static (ExponentialSmoothing Model, double Aicc) Fit(IReadOnlyList<double[]> series, IReadOnlyList<double> weights, bool trend, bool damped, int season,
        CancellationToken cancellationToken = default)
    {
        bool seasonal = season >= 2;
        var start = new List<double> { Logit(0.3) };
        if (trend) start.Add(Logit(0.1));
        if (seasonal) start.Add(Logit(0.1));
        if (trend && damped) start.Add(Logit(0.5));
        var x = start.ToArray();
        ExponentialSmoothing Make(double[] v)
        {
            int i = 0;
            double alpha = 1e-4 + (1 - 2e-4) * Sigmoid(v[i++]);
            double beta = trend ? alpha * Sigmoid(v[i++]) : 0;
            double gamma = seasonal ? (1 - alpha) * Sigmoid(v[i++]) : 0;
            double phi = trend && damped ? 0.8 + 0.18 * Sigmoid(v[i++]) : 1;
            return new ExponentialSmoothing(trend, damped, season, alpha, beta, gamma, phi);
        }
        var thresholds = series.Select(y => HuberThreshold(y)).ToArray();
        double Objective(ExponentialSmoothing model)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double total = 0;
            for (int i = 0; i < series.Count; i++) total += weights[i] * model.MultiStepError(series[i], FitSteps, thresholds[i]);
            return total;
        }
        NelderMead.Minimize(v => Objective(Make(v)), x, step: 1.0);
        var fitted = Make(x);
        double sse = 0;
        for (int i = 0; i < series.Count; i++) sse += weights[i] * fitted.Filter(series[i], out _);
        int n = series.Sum(s => s.Length), k = fitted.ParameterCount + 1;
        double aicc = n * Math.Log(Math.Max(sse, 1e-300) / n) + 2 * k + (n - k - 1 > 0 ? 2.0 * k * (k + 1) / (n - k - 1) : double.PositiveInfinity);
        return (fitted, aicc);
    }

    /// <summary>
    /// The shape with the lowest AICc among no, additive and damped trend, each without a season and with every season given
    /// that the shortest series holds <see cref="MinimumLength"/> values of.
    /// </summary>
    public static (ExponentialSmoothing Model, double Aicc) SelectShape(IReadOnlyList<double[]> series, IReadOnlyList<double> weights, IReadOnlyList<int> seasons,
        CancellationToken cancellationToken = default)
    {
        (ExponentialSmoothing Model, double Aicc) best = default;
        best.Aicc = double.PositiveInfinity;
        int shortest = series.Min(s => s.Length);
        foreach (int season in seasons.Where(m => m >= 2 && shortest >= MinimumLength(false, m)).Prepend(1))
            foreach (var (trend, damped) in new[] { (false, false), (true, false), (true, true) })
            {
                if (shortest < MinimumLength(trend, season)) continue;
                var fit = Fit(series, weights, trend, damped, season, cancellationToken);
                if (best.Model is null || fit.Aicc < best.Aicc) best = fit;
            }
        return best.Model is null ? (new ExponentialSmoothing(false, false, 1, 0.5, 0, 0, 1), double.PositiveInfinity) : best;
    }

    static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
    static double Logit(double p) => Math.Log(p / (1 - p));
}
