namespace LstmService.Forecasting.Statistics;

/// <summary>
/// A regression of a series on its known-in-advance covariates' levels, with the rest of the model as its errors (R's
/// <c>auto.arima(xreg = ...)</c> leaves them to an ARIMA): y[t] = Σⱼ bⱼ·zⱼ[t] + e[t]. Every forecaster (members, highway,
/// network) reads e = y - Σ bⱼ·zⱼ, and a forecast adds Σ bⱼ·zⱼ over the horizon from the covariates' given future. A member
/// that follows the series' level absorbs a covariate's past effect into that level, so the change-based
/// <see cref="CovariateEffect"/> misses what a covariate's level says (advertising spend, a law in force, a hot day);
/// regressing first takes it out. The coefficients come from the d-th differences (d the series' season, else 1), as
/// R's regression with ARIMA errors estimates them on the differenced series, so a trending series and covariate do not
/// make a spurious level regression; a covariate whose t-statistic there stays below 2 is left out. A multiplicative
/// regression (<see cref="Multiplicative"/>) is the same on the series' logarithm: y[t] = e[t]·exp(Σ bⱼ·zⱼ[t]), so a
/// promotion lifts a busy Saturday by the same share as a quiet Monday.
/// </summary>
public sealed class CovariateLevels
{
    /// <summary>The smallest |t| a covariate's coefficient keeps (about 5% two-sided).</summary>
    public const double MinimumT = 2;

    readonly float[] _coefficients;

    /// <param name="coefficients">Per covariate of the model, in its order: the series' change per unit of that covariate (0: not read).</param>
    /// <param name="difference">The difference order the coefficients were estimated on (informational).</param>
    /// <param name="multiplicative">Whether the effect multiplies the series by exp(Σ bⱼ·zⱼ) rather than adding Σ bⱼ·zⱼ.</param>
    public CovariateLevels(float[] coefficients, int difference, bool multiplicative = false)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Length == 0 || !coefficients.All(float.IsFinite) || coefficients.All(b => b == 0))
            throw new ArgumentException("Covariate levels hold a finite coefficient per covariate, at least one of them not 0.", nameof(coefficients));
        ArgumentOutOfRangeException.ThrowIfLessThan(difference, 1);
        _coefficients = coefficients.ToArray();
        Difference = difference;
        Multiplicative = multiplicative;
    }

    /// <summary>
    /// The largest |Σ bⱼ·zⱼ| a multiplicative effect is read at: exp of more overflows a 32-bit float (past about 88) once
    /// it multiplies a value of the series; the service names a covariate beyond it rather than answer its forecast.
    /// </summary>
    public const float MaxExponent = 80;

    /// <summary>Whether the coefficients are the logarithm's change per unit (the effect multiplies the series by exp of <see cref="Effect(ReadOnlySpan{float})"/>).</summary>
    public bool Multiplicative { get; }

    /// <summary>A value of what the other forecasters read put back on the series' own scale, given the effect at its step.</summary>
    public float Put(float value, float effect) => Multiplicative ? value * MathF.Exp(effect) : value + effect;

    /// <summary>A value of the series taken less the effect at its step: what the other forecasters read.</summary>
    public float Remove(float value, float effect) => Multiplicative ? value * MathF.Exp(-effect) : value - effect;

    /// <summary>Per covariate of the model: the series' change per unit of it (0 for one the regression does not read).</summary>
    public IReadOnlyList<float> Coefficients => _coefficients;
    /// <summary>The difference order (the season, or 1) the coefficients were estimated on.</summary>
    public int Difference { get; }
    /// <summary>Whether covariate <paramref name="k"/> is read.</summary>
    public bool Reads(int k) => _coefficients[k] != 0;

    /// <summary>Σⱼ bⱼ·zⱼ at step <paramref name="t"/> of <paramref name="covariates"/> ([covariate][step]; NaN when a covariate read is missing there).</summary>
    public float Effect(float[][] covariates, int t)
    {
        Span<float> step = _coefficients.Length <= 64 ? stackalloc float[_coefficients.Length] : new float[_coefficients.Length];
        // A covariate not read may be shorter (one not known in advance has no future): it is not read.
        for (int j = 0; j < step.Length; j++) step[j] = _coefficients[j] != 0 ? covariates[j][t] : 0;
        return Effect(step);
    }

    /// <summary>Σⱼ bⱼ·zⱼ of one step's covariate values (<paramref name="step"/>, one per covariate of the model).</summary>
    public float Effect(ReadOnlySpan<float> step)
    {
        double sum = 0;
        for (int j = 0; j < _coefficients.Length; j++)
            if (_coefficients[j] != 0) sum += _coefficients[j] * (double)step[j];
        return (float)sum;
    }

    /// <summary>What the other forecasters read: y[t] less the covariates' effect (NaN where y or a covariate read is missing).</summary>
    public float[] Adjust(float[] values, float[][] covariates)
    {
        var adjusted = new float[values.Length];
        for (int t = 0; t < values.Length; t++) adjusted[t] = Remove(values[t], Effect(covariates, t));
        return adjusted;
    }

    /// <summary>
    /// Ordinary least squares of y's <paramref name="difference"/>-th differences on those of the candidate covariates
    /// (<paramref name="candidates"/>, per covariate), with an intercept (a drift); the covariate with the smallest |t| below
    /// <see cref="MinimumT"/> is dropped and the rest fitted again. Null when none is left or there are too few complete
    /// rows (fewer than 10 more than the coefficients). <paramref name="multiplicative"/>: on the logarithm of
    /// <paramref name="values"/>, which must then be positive where observed.
    /// </summary>
    public static CovariateLevels? Fit(float[] values, float[][] covariates, bool[] candidates, int difference, bool multiplicative = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentOutOfRangeException.ThrowIfLessThan(difference, 1);
        if (multiplicative)
        {
            if (values.Any(v => !(v > 0) && !float.IsNaN(v))) throw new ArgumentException("A multiplicative regression needs positive values.", nameof(values));
            values = Array.ConvertAll(values, MathF.Log);
        }
        // A covariate that never changed over d steps has no coefficient to estimate (its column would make the design singular).
        var active = Enumerable.Range(0, covariates.Length).Where(j => candidates[j] && Moves(covariates[j], difference)).ToList();
        while (active.Count > 0)
        {
            if (Regress(values, covariates, active, difference) is not { } fit) return null;
            int weakest = -1;
            for (int a = 0; a < active.Count; a++)
                if (Math.Abs(fit.T[a]) < MinimumT && (weakest < 0 || Math.Abs(fit.T[a]) < Math.Abs(fit.T[weakest]))) weakest = a;
            if (weakest < 0)
            {
                var coefficients = new float[covariates.Length];
                for (int a = 0; a < active.Count; a++) coefficients[active[a]] = (float)fit.B[a];
                return coefficients.All(float.IsFinite) && coefficients.Any(b => b != 0) ? new CovariateLevels(coefficients, difference, multiplicative) : null;
            }
            active.RemoveAt(weakest);
        }
        return null;
    }

    /// <summary>The slopes (intercept left out) and their t-statistics, or null when the rows are too few or the design singular.</summary>
    static (double[] B, double[] T)? Regress(float[] y, float[][] z, List<int> active, int d)
    {
        int p = active.Count + 1, rows = 0;
        var gram = new double[p * p];
        var rhs = new double[p];
        var x = new double[p];
        for (int t = d; t < y.Length; t++)
        {
            if (!Row(y, z, active, d, t, x, out double dy)) continue;
            for (int a = 0; a < p; a++)
            {
                rhs[a] += x[a] * dy;
                for (int c = 0; c <= a; c++) gram[a * p + c] += x[a] * x[c];
            }
            rows++;
        }
        if (rows < p + 10) return null;
        for (int a = 0; a < p; a++) for (int c = a + 1; c < p; c++) gram[a * p + c] = gram[c * p + a];
        if (Solve(gram, rhs, p) is not (var b, var inverse)) return null;
        // The residuals summed directly: y'y - b'X'y cancels to nothing (and a t-statistic to infinity) on a close fit.
        double rss = 0;
        for (int t = d; t < y.Length; t++)
        {
            if (!Row(y, z, active, d, t, x, out double dy)) continue;
            double fitted = 0;
            for (int a = 0; a < p; a++) fitted += b[a] * x[a];
            rss += (dy - fitted) * (dy - fitted);
        }
        double sigma2 = Math.Max(rss, 0) / (rows - p);
        var slopes = new double[p - 1];
        var statistics = new double[p - 1];
        for (int a = 1; a < p; a++)
        {
            slopes[a - 1] = b[a];
            double se = Math.Sqrt(sigma2 * inverse[a]);
            statistics[a - 1] = se > 0 ? b[a] / se : b[a] != 0 ? double.PositiveInfinity : 0;
        }
        return (slopes, statistics);
    }

    static bool Moves(float[] z, int d)
    {
        for (int t = d; t < z.Length; t++)
            if (z[t] != z[t - d] && float.IsFinite(z[t]) && float.IsFinite(z[t - d])) return true;
        return false;
    }

    /// <summary>Row t of the differenced design (1, Δzⱼ...) and Δy; false when a value it needs is missing.</summary>
    static bool Row(float[] y, float[][] z, List<int> active, int d, int t, double[] x, out double dy)
    {
        dy = (double)y[t] - y[t - d];
        if (!double.IsFinite(dy)) return false;
        x[0] = 1;
        for (int a = 0; a < active.Count; a++)
        {
            x[a + 1] = (double)z[active[a]][t] - z[active[a]][t - d];
            if (!double.IsFinite(x[a + 1])) return false;
        }
        return true;
    }

    /// <summary>The solution of the normal equations and the diagonal of their inverse (the slopes' variances per σ²), by Cholesky; null when singular.</summary>
    static (double[] Solution, double[] InverseDiagonal)? Solve(double[] gram, double[] rhs, int p)
    {
        var solution = (double[])rhs.Clone();
        if (!Cholesky.Solve((double[])gram.Clone(), solution, p)) return null;
        var diagonal = new double[p];
        var unit = new double[p];
        for (int a = 0; a < p; a++)
        {
            Array.Clear(unit);
            unit[a] = 1;
            if (!Cholesky.Solve((double[])gram.Clone(), unit, p)) return null;
            diagonal[a] = unit[a];
        }
        return (solution, diagonal);
    }
}
