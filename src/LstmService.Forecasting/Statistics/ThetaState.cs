namespace LstmService.Forecasting.Statistics;

/// <summary>
/// The theta method's sufficient statistics of a history, kept per seasonal phase so that they extend one value at a time.
/// The method smooths and regresses the deseasonalised series, whose seasonal indices change with every new value (they
/// are averaged over the whole history), so the smoothed level is not a filter state one can step. It is linear in the
/// deseasonalised values, though: per phase p the state keeps the exponentially weighted sum of the values (and of ones,
/// for additive indices) as of that phase's last value, plus the sums the regression slope and the decomposition need;
/// a forecast combines them with the current indices in O(season). <see cref="ThetaMethod.Forecast"/> builds this state
/// over its history, so a stream and a one-off forecast compute the same numbers.
/// </summary>
public sealed class ThetaState
{
    /// <summary>Per phase: Σ α(1-α)^(t_p - t) y_t over that phase's values t, as of its last value t_p.</summary>
    public double[] Weighted { get; set; } = [];
    /// <summary>Per phase: the same sum of ones (what an additive index contributes).</summary>
    public double[] WeightedOnes { get; set; } = [];
    /// <summary>Per phase: Σ y_t, Σ t·y_t, Σ t and the count (the slope of the deseasonalised series).</summary>
    public double[] Sums { get; set; } = [];
    public double[] TimeSums { get; set; } = [];
    public double[] Times { get; set; } = [];
    public double[] Counts { get; set; } = [];
    /// <summary>Σ t and Σ t² over all values.</summary>
    public double TimeTotal { get; set; }
    public double TimeSquares { get; set; }
    /// <summary>Per phase: the decomposition's sum of ratios (or differences) to the centred moving average, and their count.</summary>
    public double[] Decomposition { get; set; } = [];
    public int[] DecompositionCounts { get; set; } = [];
    /// <summary>Per phase: the sum and count of the first <see cref="InitialCount"/> values (the smoothing's initial level).</summary>
    public double[] InitialSums { get; set; } = [];
    public double[] InitialCounts { get; set; } = [];
    public int InitialCount { get; set; }

    double _decay, _decayAlpha = double.NaN;

    public static ThetaState Create(ThetaMethod theta)
    {
        int m = Math.Max(1, theta.Season);
        return new ThetaState
        {
            Weighted = new double[m], WeightedOnes = new double[m], Sums = new double[m], TimeSums = new double[m], Times = new double[m],
            Counts = new double[m], Decomposition = new double[m], DecompositionCounts = new int[m], InitialSums = new double[m], InitialCounts = new double[m],
        };
    }

    /// <summary>Values the initial level reads (~1/α): from this length on it no longer changes.</summary>
    internal static int InitialLength(ThetaMethod theta) => (int)Math.Min(Math.Ceiling(1.0 / theta.Alpha), int.MaxValue);

    /// <summary>The initial level's sums from the first values of <paramref name="head"/> (all of it when shorter than ~1/α).</summary>
    internal void Initialize(ThetaMethod theta, ReadOnlySpan<double> head)
    {
        int m = Weighted.Length, k = (int)Math.Clamp(Math.Ceiling(1.0 / theta.Alpha), Math.Min(1, head.Length), head.Length);
        Array.Clear(InitialSums);
        Array.Clear(InitialCounts);
        for (int t = 0; t < k; t++) { InitialSums[t % m] += head[t]; InitialCounts[t % m]++; }
        InitialCount = k;
    }

    /// <summary>
    /// Adds y_t (t = the values before it); <paramref name="recent"/> ends with y_t and holds at least the season plus one values
    /// when there are that many (the centred moving average around t - season/2).
    /// </summary>
    internal void Step(ThetaMethod theta, int t, double y, ReadOnlySpan<double> recent)
    {
        int m = Weighted.Length, p = t % m;
        // (1 - α)^m once per state rather than per value (the same number each time).
        if (_decayAlpha != theta.Alpha) { _decay = Math.Pow(1 - theta.Alpha, m); _decayAlpha = theta.Alpha; }
        double decay = _decay;
        Weighted[p] = Weighted[p] * decay + theta.Alpha * y;
        WeightedOnes[p] = WeightedOnes[p] * decay + theta.Alpha;
        Sums[p] += y; TimeSums[p] += t * y; Times[p] += t; Counts[p]++;
        TimeTotal += t; TimeSquares += (double)t * t;
        if (m < 2) return;
        int half = m / 2, centre = t - half;
        if (centre < half) return;
        // The decomposition's term for the value half a season back, now that the average around it is complete.
        var window = recent[^(2 * half + 1)..];
        double trend = Series.SeriesMath.CentredMean(window, half, m);
        double value = window[half];
        Decomposition[centre % m] += theta.Multiplicative ? ThetaMethod.Ratio(value, trend) : value - trend;
        DecompositionCounts[centre % m]++;
    }

    /// <summary>
    /// Moves the sums as if every value before <paramref name="start"/> had been <paramref name="shift"/> higher, once value
    /// <paramref name="t"/> is added (<see cref="StatisticalState"/>'s change of level): each sum is linear in the values, so
    /// it moves by the shift times the same sum of ones over those values, which is the whole history's less the run's. The
    /// decomposition keeps its terms: a value's ratio (or difference) to the average around it is its season's either way.
    /// </summary>
    internal void Relevel(ThetaMethod theta, int t, int start, double shift)
    {
        int m = Weighted.Length;
        double decay = Math.Pow(1 - theta.Alpha, m);
        var weighted = new double[m];
        var counts = new double[m];
        var times = new double[m];
        for (int j = start; j <= t; j++)
        {
            int p = j % m;
            weighted[p] = weighted[p] * decay + theta.Alpha;
            counts[p]++;
            times[p] += j;
        }
        for (int p = 0; p < m; p++)
        {
            Weighted[p] += shift * (WeightedOnes[p] - weighted[p]);
            Sums[p] += shift * (Counts[p] - counts[p]);
            TimeSums[p] += shift * (Times[p] - times[p]);
        }
        // The initial level's values before the run (all of them, unless theta's 1/α reaches past its start).
        for (int j = 0; j < Math.Min(start, InitialCount); j++) InitialSums[j % m] += shift;
    }

    /// <summary>Forecasts <paramref name="output"/>.Length steps after the <paramref name="n"/> values added.</summary>
    internal void Forecast(ThetaMethod theta, int n, Span<double> output)
    {
        int m = Weighted.Length;
        double alpha = theta.Alpha, beta = 1 - alpha;
        bool seasonal = m > 1 && n >= 2 * m, multiplicative = seasonal && theta.Multiplicative;
        double[]? index = null;
        // Under four periods the phase regression's index (ThetaMethod.SeasonalIndex), unless it is not usable: then, as there,
        // the decomposition's.
        if (seasonal && n < ThetaMethod.RegressionPeriods * m)
            index = ThetaMethod.Usable(ThetaMethod.PhaseRegressionIndex(Sums, TimeSums, Times, Counts, multiplicative), multiplicative);
        if (seasonal && index is null)
        {
            index = new double[m];
            double total = 0;
            for (int p = 0; p < m; p++)
            {
                index[p] = DecompositionCounts[p] > 0 ? Decomposition[p] / DecompositionCounts[p] : multiplicative ? 1 : 0;
                total += index[p];
            }
            for (int p = 0; p < m; p++) index[p] = multiplicative ? index[p] * m / total : index[p] - total / m;
            index = ThetaMethod.Usable(index, multiplicative);
            seasonal = index is not null;
        }
        double initial = 0, sum = 0, timeSum = 0;
        for (int p = 0; p < m; p++)
        {
            initial += Adjusted(InitialSums[p], InitialCounts[p], p);
            sum += Adjusted(Sums[p], Counts[p], p);
            timeSum += Adjusted(TimeSums[p], Times[p], p);
        }
        double level = Math.Pow(beta, n) * (InitialCount > 0 ? initial / InitialCount : 0), power = 1;
        for (int d = 0; d < m && d < n; d++)
        {
            int p = (n - 1 - d) % m;
            level += power * Adjusted(Weighted[p], WeightedOnes[p], p);
            power *= beta;
        }
        double denominator = n * TimeSquares - TimeTotal * TimeTotal;
        double slope = n >= 2 && denominator > 0 ? (n * timeSum - TimeTotal * sum) / denominator / 2 : 0;
        double carry = (1 - Math.Pow(beta, n)) / alpha;
        for (int h = 0; h < output.Length; h++)
        {
            double v = level + slope * (h + carry);
            if (seasonal) v = multiplicative ? v * index![(n + h) % m] : v + index![(n + h) % m];
            output[h] = v;
        }

        // A phase's sum of values with its index taken out: divided by a multiplicative index, less count times an additive one.
        double Adjusted(double values, double ones, int p) => index is null ? values : multiplicative ? values / index[p] : values - index[p] * ones;
    }

    public ThetaState Clone() => new()
    {
        Weighted = [.. Weighted], WeightedOnes = [.. WeightedOnes], Sums = [.. Sums], TimeSums = [.. TimeSums], Times = [.. Times], Counts = [.. Counts],
        TimeTotal = TimeTotal, TimeSquares = TimeSquares, Decomposition = [.. Decomposition], DecompositionCounts = [.. DecompositionCounts],
        InitialSums = [.. InitialSums], InitialCounts = [.. InitialCounts], InitialCount = InitialCount,
    };

    /// <summary>
    /// Why this state cannot belong to <paramref name="theta"/> after <paramref name="stepped"/> values, or null. The counts and
    /// time sums depend on that number alone, so an imported state whose bookkeeping was edited (a negative Σ t) is refused.
    /// </summary>
    internal string? Problem(ThetaMethod theta, int stepped)
    {
        int m = Math.Max(1, theta.Season);
        double[][] perPhase = [Weighted, WeightedOnes, Sums, TimeSums, Times, Counts, Decomposition, InitialSums, InitialCounts];
        if (perPhase.Any(a => a is null || a.Length != m) || DecompositionCounts is null || DecompositionCounts.Length != m)
            return $"theta's per-phase arrays hold one value per phase ({m})";
        if (perPhase.Any(a => !a.All(double.IsFinite)) || !double.IsFinite(TimeTotal) || !double.IsFinite(TimeSquares)
            || DecompositionCounts.Any(c => c < 0) || InitialCount < 0)
            return "theta's sums must be finite and its counts non-negative";
        double n = stepped;
        bool times = Same(TimeTotal, n * (n - 1) / 2) && Same(TimeSquares, (n - 1) * n * (2 * n - 1) / 6);
        int half = m / 2, centres = m < 2 ? 0 : Math.Max(0, stepped - 2 * half);
        for (int p = 0; p < m && times; p++)
        {
            // Phase p holds t = p, p + m, ...; the decomposition's centres are t - half for t >= 2·half.
            double count = stepped / m + (p < stepped % m ? 1 : 0);
            int decomposed = centres / m + ((p - half % m + m) % m < centres % m ? 1 : 0);
            times = Counts[p] == count && Same(Times[p], p * count + m * count * (count - 1) / 2) && DecompositionCounts[p] == decomposed;
        }
        return times ? null : $"theta's counts and time sums are those of {stepped} values";

        // Sums of t and t² over many values are rounded as they are added (past 2^53), the closed forms are not: a
        // tolerance far above that rounding over a stream of 10^9 values, far below any edit that would change a forecast.
        static bool Same(double sum, double exact) => Math.Abs(sum - exact) <= 1e-6 * Math.Max(1, exact);
    }
}
