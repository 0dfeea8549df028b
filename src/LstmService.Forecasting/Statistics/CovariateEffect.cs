namespace LstmService.Forecasting.Statistics;

/// <summary>
/// What a series' covariates add to the classical members' forecasts, which read the series alone: per horizon step k, a
/// linear regression (ridge, no intercept) of the members' mean's residual on each covariate's last <see cref="Lags"/>
/// one-step changes and, for a covariate known in advance, its change from the last observed value to step k. A member
/// that follows the series' recent level misses b·(z[t+k] - z[t]) when the series moves by b per unit of the covariate
/// (regression with errors left to the members, as R's <c>auto.arima(xreg = ...)</c> leaves them to an ARIMA); recent
/// changes carry a leading indicator's news and what a member has not yet absorbed of a change. With a season m
/// (<see cref="Season"/>), a known covariate's change to step k from the same phase of the last season the history holds,
/// z[t+k] - z[t+k-m·⌈k/m⌉] (k from 1), too: a seasonal member repeats that season's value, so it misses b times that change
/// (a holiday on a weekday, a hotter week). Changes, not levels: a
/// covariate that stepped long ago says nothing the members have not already seen, so it adds nothing. All features come
/// from the network's input row (covariates z-scored per series; target in encoded units), so training and forecasting read
/// them alike. The trainer reads only the covariates that lower the members' mean's error on the validation windows
/// (<see cref="Used"/>).
/// </summary>
public sealed class CovariateEffect
{
    /// <summary>The most one-step changes of each covariate a regression reads.</summary>
    public const int MaxLags = 3;

    readonly float[] _coefficients;
    readonly bool[] _future, _used;
    readonly int[] _columns;

    /// <param name="future">Per covariate (in the model's order), whether it is known in advance.</param>
    /// <param name="used">Per covariate, whether the regressions read it (at least one does).</param>
    /// <param name="lags">One-step changes read per covariate (1..<see cref="MaxLags"/>).</param>
    /// <param name="horizon">Steps, each with its own regression.</param>
    /// <param name="coefficients">[horizon, <see cref="FeatureCount"/>]: each used covariate's last changes (latest first), then each used known covariate's change to the step, then (with a season) each one's seasonal change to it.</param>
    /// <param name="season">The members' season (1: none): with one, each used known covariate's seasonal change to the step follows.</param>
    public CovariateEffect(bool[] future, bool[] used, int lags, int horizon, float[] coefficients, int season = 1)
    {
        ArgumentNullException.ThrowIfNull(future);
        ArgumentNullException.ThrowIfNull(used);
        ArgumentNullException.ThrowIfNull(coefficients);
        if (future.Length == 0 || used.Length != future.Length || !used.Any(u => u))
            throw new ArgumentException("A covariate effect reads at least one covariate, and says for each whether it reads it.", nameof(used));
        ArgumentOutOfRangeException.ThrowIfLessThan(lags, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lags, MaxLags);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(season, 1);
        _future = future.ToArray();
        _used = used.ToArray();
        Lags = lags;
        Horizon = horizon;
        Season = season;
        _columns = Columns(_future, _used, lags, season);
        if (coefficients.Length != horizon * FeatureCount || !coefficients.All(float.IsFinite))
            throw new ArgumentException($"A covariate effect needs {horizon} x {FeatureCount} finite coefficients; got {coefficients.Length}.", nameof(coefficients));
        _coefficients = coefficients.ToArray();
    }

    public IReadOnlyList<bool> Future => _future;
    /// <summary>Per covariate, whether the regressions read it.</summary>
    public IReadOnlyList<bool> Used => _used;
    public int Covariates => _future.Length;
    public int Lags { get; }
    public int Horizon { get; }
    /// <summary>The members' season whose phase a known covariate's seasonal change compares with (1: none, no such features).</summary>
    public int Season { get; }
    public IReadOnlyList<float> Coefficients => _coefficients;
    /// <summary>Features per step: <see cref="Lags"/> changes per used covariate, then one per used covariate known in advance (two with a season).</summary>
    public int FeatureCount => _columns.Length;

    /// <summary>
    /// Writes the features of step <paramref name="k"/> from one network input row (<paramref name="window"/> history steps of
    /// <paramref name="features"/> values: the target, the covariates, then the future flag when there is one; the known
    /// covariates' future follows the history). The window holds at least <paramref name="lags"/> + 1 steps. With a
    /// <paramref name="season"/> above 1 (at most the window), each known covariate's seasonal change follows.
    /// </summary>
    internal static void Features(ReadOnlySpan<float> row, int window, int features, bool[] future, bool[] used, int lags, int k, Span<float> output,
        int season = 1)
    {
        int c = future.Length, f = 0;
        for (int j = 0; j < c; j++)
        {
            if (!used[j]) continue;
            for (int l = 0; l < lags; l++) output[f++] = row[(window - 1 - l) * features + 1 + j] - row[(window - 2 - l) * features + 1 + j];
        }
        for (int j = 0; j < c; j++)
            if (used[j] && future[j]) output[f++] = row[(window + k) * features + 1 + j] - row[(window - 1) * features + 1 + j];
        if (season < 2) return;
        // The same phase in the last season the history holds: within the window when the season is at most the window, as a
        // model checks; a row too short for it reads 0.
        int back = window + k - season * ((k + season) / season);
        for (int j = 0; j < c; j++)
            if (used[j] && future[j]) output[f++] = back >= 0 ? row[(window + k) * features + 1 + j] - row[back * features + 1 + j] : 0;
    }

    /// <summary>The effect at every step for one network input row: <paramref name="output"/>[k] in encoded units.</summary>
    internal void Apply(ReadOnlySpan<float> row, int window, int features, Span<float> output)
    {
        int p = FeatureCount;
        Span<float> x = p <= 256 ? stackalloc float[p] : new float[p];
        for (int k = 0; k < Horizon; k++)
        {
            Features(row, window, features, _future, _used, Lags, k, x, Season);
            output[k] = System.Numerics.Tensors.TensorPrimitives.Dot(_coefficients.AsSpan(k * p, p), x);
        }
    }

    /// <summary>
    /// Where the features of a mask (<paramref name="used"/>) sit among those of every covariate (the order
    /// <see cref="Features"/> writes with every covariate used): each used covariate's changes, then each used known one's.
    /// </summary>
    internal static int[] Columns(bool[] future, bool[] used, int lags, int season = 1)
    {
        var columns = new List<int>();
        for (int j = 0; j < future.Length; j++)
            if (used[j]) for (int l = 0; l < lags; l++) columns.Add(j * lags + l);
        int next = future.Length * lags;
        for (int pass = 0; pass < (season >= 2 ? 2 : 1); pass++)
            for (int j = 0; j < future.Length; j++)
            {
                if (!future[j]) continue;
                if (used[j]) columns.Add(next);
                next++;
            }
        return columns.ToArray();
    }

    /// <summary>The effect at step <paramref name="k"/> from the features of every covariate (<paramref name="all"/>, as <see cref="Features"/> writes them with each used).</summary>
    internal float Shift(ReadOnlySpan<float> all, int k)
    {
        int p = _columns.Length;
        float sum = 0;
        for (int a = 0; a < p; a++) sum += _coefficients[k * p + a] * all[_columns[a]];
        return sum;
    }

    /// <summary>
    /// Ridge fit of each step's regression on the first <paramref name="n"/> windows of <paramref name="design"/>
    /// ([windows, horizon, width]: every covariate's features, as <see cref="Features"/> writes them with each used; the
    /// regressions read the columns of <paramref name="used"/>) against <paramref name="residuals"/> ([windows, horizon], NaN
    /// where the target is missing), what the members' mean missed. The penalty is <paramref name="ridge"/> times each
    /// feature's own sum of squares (a coefficient of features that do not overlap shrinks by 1 / (1 + ridge)), so a rare
    /// change (a covariate that steps once) is not penalised away. Null when there are fewer windows than twice the features,
    /// a feature is zero on every window (a covariate that never moved) or a coefficient is not finite.
    /// </summary>
    internal static CovariateEffect? Fit(float[] design, int width, float[] residuals, int n, int horizon, bool[] future, bool[] used, int lags,
        double ridge = 0.1, int season = 1)
    {
        var columns = Columns(future, used, lags, season);
        int p = columns.Length, seasonal = season >= 2 ? future.Where((known, j) => known && used[j]).Count() : 0;
        if (n < 2 * p) return null;
        var coefficients = new float[horizon * p];
        var gram = new double[p * p];
        var rhs = new double[p];
        for (int k = 0; k < horizon; k++)
        {
            Array.Clear(gram); Array.Clear(rhs);
            int observed = 0;
            for (int i = 0; i < n; i++)
            {
                float y = residuals[i * horizon + k];
                if (float.IsNaN(y)) continue;
                var x = design.AsSpan((i * horizon + k) * width, width);
                for (int a = 0; a < p; a++)
                {
                    double xa = x[columns[a]];
                    rhs[a] += xa * y;
                    for (int b = 0; b <= a; b++) gram[a * p + b] += xa * x[columns[b]];
                }
                observed++;
            }
            if (observed < 2 * p) return null;
            for (int a = 0; a < p; a++)
            {
                // A covariate that repeats every season (a weekday dummy) never changes from last season's phase: that feature
                // gets no weight, and its other features are fitted as without a season.
                if (gram[a * p + a] == 0 && a >= p - seasonal) gram[a * p + a] = 1;
                // A covariate that never moved over these windows has nothing to teach (its coefficient would be the jitter's).
                if (gram[a * p + a] == 0) return null;
                for (int b = a + 1; b < p; b++) gram[a * p + b] = gram[b * p + a];
                gram[a * p + a] *= 1 + ridge;
            }
            Series.SeriesMath.SolveRidge(gram, rhs, p, 0, unpenalised: 0);
            for (int a = 0; a < p; a++)
            {
                coefficients[k * p + a] = (float)rhs[a];
                if (!float.IsFinite(coefficients[k * p + a])) return null;
            }
        }
        return new CovariateEffect(future, used, lags, horizon, coefficients, season);
    }
}
