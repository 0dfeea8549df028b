namespace LstmService.Forecasting.Statistics;

/// <summary>
/// What the classical members of a <see cref="StatisticalEnsemble"/> need of a history to forecast from it, extended one
/// value at a time: the smoothing's level, trend and seasonal states, the theta method's sums (<see cref="ThetaState"/>),
/// and the autoregression's first value, sum and last values. The members' initial states read the history's first values
/// (up to three seasons, about 1/α values): until there are <see cref="HeadLength"/> of them they are kept in
/// <see cref="Head"/> and a forecast starts from them afresh; from then on every value is one step of each filter.
/// <see cref="StatisticalEnsemble.Forecast"/> builds this state over its history, so a stream and a one-off forecast agree
/// bit for bit.
/// </summary>
public sealed class StatisticalState
{
    /// <summary>Values added.</summary>
    public int Count { get; set; }
    /// <summary>The history's first values while the initial states may still change (null once they are fixed).</summary>
    public List<double>? Head { get; set; } = [];
    /// <summary>The last values (the autoregression's lags and the decomposition's moving average read them).</summary>
    public List<double> Recent { get; set; } = [];
    public double First { get; set; }
    public double Sum { get; set; }
    public double Level { get; set; }
    public double Trend { get; set; }
    public double[] Seasonal { get; set; } = [];
    public ThetaState Theta { get; set; } = new();
    /// <summary>The watch for a lasting change of level (absent, and started afresh, in states stored before it existed).</summary>
    public LevelShiftWatch Shifts { get; set; } = new();

    public static StatisticalState Create(StatisticalEnsemble ensemble) => new()
    {
        Seasonal = new double[ensemble.Smoothing.Season],
        Theta = ThetaState.Create(ensemble.Theta),
    };

    /// <summary>
    /// The head length from which the initial states no longer change; with a season in theta, two of its periods. Theta's
    /// index under four periods reads every value (<see cref="ThetaMethod.SeasonalIndex"/>), and the head's first period is
    /// read without its spikes only where the period after it is in the head too: a QA pass saw a typo in the second of 24
    /// months make the intervals 37 times as wide and send the forecast to zero.
    /// </summary>
    public static int HeadLength(StatisticalEnsemble ensemble) =>
        Math.Max(Math.Max(ensemble.Smoothing.InitialLength, ThetaState.InitialLength(ensemble.Theta)),
            ensemble.Theta.Season > 1 ? 2 * ensemble.Theta.Season : 1);

    /// <summary>Values kept in <see cref="Recent"/>.</summary>
    public static int RecentLength(StatisticalEnsemble ensemble) =>
        Math.Max(ensemble.Autoregression.Order + 1, Math.Max(1, ensemble.Theta.Season) + 1);

    /// <summary>Adds the next value of the (transformed, gap-filled) history.</summary>
    public void Add(StatisticalEnsemble ensemble, double y)
    {
        if (Count == 0) First = y;
        Sum += y;
        Recent.Add(y);
        int keep = RecentLength(ensemble);
        if (Recent.Count >= 2 * keep) Recent.RemoveRange(0, Recent.Count - keep);
        Count++;
        if (Head is null)
        {
            var recent = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Recent);
            if (Step(ensemble, Count - 1, y, recent, watch: true) is { } run) Relevel(ensemble, Count - 1, run, recent);
            return;
        }
        Head.Add(y);
        if (Head.Count < HeadLength(ensemble)) return;
        // The initial states are fixed now: start the filters from them and run them over the head once.
        foreach (var (start, shift) in Start(ensemble, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Head)))
            Raise(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Recent), Count - 1, start, shift);
        Head = null;
    }

    /// <summary>
    /// The state after <paramref name="history"/> in one pass: the same numbers as adding its values one by one (the sum in
    /// the same order, the members started from the same head and stepped through the rest), without per-value bookkeeping.
    /// </summary>
    public static StatisticalState Build(StatisticalEnsemble ensemble, ReadOnlySpan<double> history)
    {
        var state = Create(ensemble);
        int n = history.Length, head = HeadLength(ensemble), keep = RecentLength(ensemble);
        double sum = 0;
        foreach (var y in history[..Math.Min(n, head)]) sum += y;
        state.Count = n;
        state.Sum = sum;
        state.First = n > 0 ? history[0] : 0;
        if (n < head) state.Head = [.. history];
        else
        {
            state.Head = null;
            // A copy only once a change of level has the members read earlier values at the new level (as Add's Recent does).
            double[]? relevelled = null;
            foreach (var (headStart, headShift) in state.Start(ensemble, history[..head]))
            {
                relevelled ??= history.ToArray();
                Raise(relevelled.AsSpan(Math.Max(0, head - keep), Math.Min(head, keep)), head - 1, headStart, headShift);
            }
            for (int t = head; t < n; t++)
            {
                ReadOnlySpan<double> read = relevelled ?? history;
                state.Sum += read[t];
                if (state.Step(ensemble, t, read[t], read[..(t + 1)], watch: true) is not { } run) continue;
                relevelled ??= history.ToArray();
                state.Relevel(ensemble, t, run, relevelled.AsSpan(Math.Max(0, t + 1 - keep), Math.Min(t + 1, keep)));
            }
            if (relevelled is not null) history = relevelled;
        }
        state.Recent = [.. history[Math.Max(0, n - keep)..]];
        return state;
    }

    /// <summary>
    /// Initialises every member from <paramref name="given"/> (the whole history so far) without its spikes and steps them
    /// through it. The members were fitted without spikes (<see cref="OutlyingSteps.WithoutSpikes"/>), and a flat series'
    /// smoothing (α near 0) starts from the mean of a head that is its whole history: one glitch of 5,000 among 150 values
    /// about 50 had set the level, theta's drift and the autoregression's mean, and every forecast near 85. The head is read
    /// as a whole by a stream and a one-off forecast alike, so they still agree; the autoregression's sum follows it.
    /// </summary>
    /// <returns>The changes of level the head holds, whose earlier values the members read raised by their shifts: the
    /// caller raises the same values of its last ones (<see cref="Raise"/>). Where the smoothing reads the head whole, the steps
    /// in its errors (<see cref="LevelShiftWatch.InHead"/>); else the watch reads the values after the smoothing's initial
    /// ones as a stream past its head would (a theta or a season that needs a longer head had kept the watch from them).</returns>
    List<(int Start, double Shift)> Start(StatisticalEnsemble ensemble, ReadOnlySpan<double> given)
    {
        var cleaned = SpikeFreeHead(ensemble, given);
        var changes = new List<(int Start, double Shift)>();
        // In order: the values before each change are raised by its shift (before the first, by every shift after them).
        foreach (var (start, size) in HeadShifts(ensemble, cleaned))
        {
            for (int t = 0; t < start; t++) cleaned[t] += size;
            changes.Add((start, size));
            Shifts.Record(start, size);
        }
        for (int t = 0; t < cleaned.Length; t++) Sum += cleaned[t] - given[t];
        // The differenced autoregression's mean step runs from the first value: a glitch there had set a drift of its own.
        if (cleaned.Length > 0) First = cleaned[0];
        var smoothing = ensemble.Smoothing;
        var seasonal = new double[smoothing.Season];
        smoothing.Initialize(cleaned, seasonal, out double level, out double trend);
        Seasonal = seasonal; Level = level; Trend = trend;
        Theta = ThetaState.Create(ensemble.Theta);
        Theta.Initialize(ensemble.Theta, cleaned);
        int watchFrom = changes.Count > 0 ? cleaned.Length : Math.Min(cleaned.Length, smoothing.InitialLength);
        for (int t = 0; t < cleaned.Length; t++)
        {
            if (Step(ensemble, t, cleaned[t], cleaned.AsSpan(0, t + 1), watch: t >= watchFrom) is not { } run) continue;
            if (Relevel(ensemble, t, run, cleaned.AsSpan(0, t + 1)) is { } shift) changes.Add((run.Start, shift));
        }
        return changes;
    }

    /// <summary>
    /// The changes of level in a head the smoothing reads whole (<see cref="LevelShiftWatch.InHead"/> on its one-step
    /// errors), in order: one at a time, the largest first, each looked for again in the head raised by those found before
    /// it. The smoothing's level still drifts by α times its errors, and where a step of a thousand times the level made
    /// those errors huge, the drift before it had been carved into seven false changes of 6-71 on a level of 100.
    /// </summary>
    static List<(int Start, double Shift)> HeadShifts(StatisticalEnsemble ensemble, double[] head)
    {
        var smoothing = ensemble.Smoothing;
        // A smoothing whose initial states read fewer values than the head follows a change itself (value by value, past
        // the head, the watch reads it); its errors show no step, and searching them cost sunspot.month's training 40 s.
        if (smoothing.InitialLength < head.Length) return [];
        int run = LevelShiftWatch.RunLength(SpikePeriod(ensemble));
        var raised = (double[])head.Clone();
        var found = new List<(int Start, double Shift)>();
        while (found.Count < LevelShiftWatch.ChangesKept)
        {
            var steps = LevelShiftWatch.InHead(LevelErrors(smoothing, raised), run);
            if (steps.Count == 0) break;
            var (start, shift) = steps.MaxBy(c => Math.Abs(c.Shift));
            // What is left of a change found, read again: its size was read as well as the head allows.
            if (found.Any(c => Math.Abs(c.Start - start) <= run)) break;
            found.Add((start, shift));
            for (int t = 0; t < start; t++) raised[t] += shift;
        }
        found.Sort();
        return found;
    }

    /// <summary>
    /// The one-step errors of the smoothing's level (and trend) alone over <paramref name="head"/>, the seasonal states kept as
    /// initialised: they take up a share γ of each error, so a later change's errors faded period by period, and the step
    /// read there shrank as the history grew (40 read as 42.4, 35.1, 29.3 and 25.8 at 7, 28, 56 and 84 values after it).
    /// </summary>
    static double[] LevelErrors(ExponentialSmoothing smoothing, double[] head)
    {
        var seasonal = new double[smoothing.Season];
        smoothing.Initialize(head, seasonal, out double level, out double trend);
        var errors = new double[head.Length];
        for (int t = 0; t < head.Length; t++)
        {
            int phase = t % seasonal.Length;
            double kept = seasonal[phase];
            errors[t] = smoothing.Step(ref level, ref trend, seasonal, t, head[t], out _);
            seasonal[phase] = kept;
        }
        return errors;
    }

    /// <summary>Raises by <paramref name="shift"/> the values of <paramref name="recent"/> (whose last is value <paramref name="last"/>) before <paramref name="start"/>.</summary>
    static void Raise(Span<double> recent, int last, int start, double shift)
    {
        for (int i = 0, first = last + 1 - recent.Length; i < recent.Length && first + i < start; i++) recent[i] += shift;
    }

    /// <summary>A history's head as the members' initial states read it: without its spikes at <see cref="SpikePeriod"/>, its first and last periods' included.</summary>
    internal static double[] SpikeFreeHead(StatisticalEnsemble ensemble, ReadOnlySpan<double> given)
    {
        int period = SpikePeriod(ensemble);
        return OutlyingSteps.WithoutEdgePeriodSpikes(OutlyingSteps.WithoutSpikes(given.ToArray(), period), period);
    }

    /// <summary>The period a spike's changes are taken over: the smoothing's season, else theta's, else one step.</summary>
    internal static int SpikePeriod(StatisticalEnsemble ensemble) =>
        ensemble.Smoothing.Season > 1 ? ensemble.Smoothing.Season : Math.Max(1, ensemble.Theta.Season);

    /// <returns>A lasting change of level that this value completes (<see cref="LevelShiftWatch.Observe"/>), or null.</returns>
    LevelShiftRun? Step(StatisticalEnsemble ensemble, int t, double y, ReadOnlySpan<double> recent, bool watch)
    {
        double level = Level, trend = Trend;
        double e = ensemble.Smoothing.Step(ref level, ref trend, Seasonal, t, y, out _);
        Level = level; Trend = trend;
        Theta.Step(ensemble.Theta, t, y, recent);
        return watch ? Shifts.Observe(t, e, LevelShiftWatch.RunLength(SpikePeriod(ensemble))) : null;
    }

    /// <summary>
    /// Has the members read the values before the <paramref name="run"/>'s start at the level the run has kept
    /// (<see cref="LevelShiftWatch"/>), as if the history had always been there, once value <paramref name="t"/> completes
    /// it. The shift is the size of a step whose errors, as the smoothing made them while following it, sum to the run's;
    /// it must be at least <see cref="LevelShiftWatch.MinimumShift"/> typical errors, read without the run's largest error
    /// as well, within reach of that error, and still there at the last value (<see cref="LevelShiftWatch.LastAllowance"/>). <see cref="RelevelBy"/> moves the states.
    /// </summary>
    /// <returns>The shift the members now read, or null: the run is no change.</returns>
    double? Relevel(StatisticalEnsemble ensemble, int t, LevelShiftRun run, Span<double> recent)
    {
        var seasonal = new double[Seasonal.Length];
        double response = StepResponse(ensemble.Smoothing, run.Start, t, out double level, out double trend, seasonal, run.PeakAt, out double atPeak, out double last);
        // The shift read without the run's largest error must be a change too: a glitch inside a run is no change (the
        // glitch suite's UKgas had been raised 2.5 times by one ten times its value).
        if (!(response > atPeak)) return null;
        double shift = run.Errors / response, rest = (run.Errors - run.Peak) / (response - atPeak), least = LevelShiftWatch.MinimumShift * run.Unit;
        // A step shows as an error about its size on its first value. Far beyond the run's largest error, the run is a trend
        // or a cycle's rise that a quick smoothing kept lagging (sunspot.month's 1950s had read as a step of 14 typical errors).
        if (!(Math.Abs(shift) <= Math.Abs(run.Peak) + LevelShiftWatch.PeakAllowance * run.Unit) || !(Math.Abs(shift) >= least)
            || !(Math.Abs(rest) >= least) || Math.Sign(rest) != Math.Sign(shift)
            || !(Math.Abs(run.Last - shift * last) <= LevelShiftWatch.LastAllowance * run.Unit + Math.Abs(shift * last) / 2)) return null;
        Move(ensemble, t, run.Start, shift, recent, level, trend, seasonal);
        Shifts.Record(run.Start, shift);
        return shift;
    }

    /// <summary>
    /// The members' states as if the values before <paramref name="start"/> had been <paramref name="shift"/> higher, value
    /// <paramref name="t"/> the last added. Each state is affine in the history, so it moves by the shift times its response
    /// to the values before the run: a whole history one higher raises the smoothing's level by one (its other states stay),
    /// and the run's own values' response is the filter's to a unit step from <paramref name="start"/>, run from zero.
    /// Theta's sums move by the shift over the values before the run (its seasonal decomposition reads the series as it
    /// came); the autoregression's first value and sum move with them, and so do the last values in
    /// <paramref name="recent"/> (ending with value <paramref name="t"/>) from before the run.
    /// </summary>
    internal void RelevelBy(StatisticalEnsemble ensemble, int t, int start, double shift, Span<double> recent)
    {
        var seasonal = new double[Seasonal.Length];
        StepResponse(ensemble.Smoothing, start, t, out double level, out double trend, seasonal, -1, out _, out _);
        Move(ensemble, t, start, shift, recent, level, trend, seasonal);
    }

    /// <summary><see cref="RelevelBy"/> given the smoothing's response to the unit step (<see cref="StepResponse"/>'s states).</summary>
    void Move(StatisticalEnsemble ensemble, int t, int start, double shift, Span<double> recent, double level, double trend, double[] seasonal)
    {
        Level += shift * (1 - level);
        Trend -= shift * trend;
        for (int p = 0; p < Seasonal.Length; p++) Seasonal[p] -= shift * seasonal[p];
        Theta.Relevel(ensemble.Theta, t, start, shift);
        First += shift;
        Sum += shift * start;
        Raise(recent, t, start, shift);
    }

    /// <summary>
    /// The smoothing's states after a unit step from value <paramref name="start"/> to <paramref name="t"/>, run from zero;
    /// returns the sum of its errors, <paramref name="atIndex"/> the error of value <paramref name="index"/> and
    /// <paramref name="last"/> that of value <paramref name="t"/>.
    /// </summary>
    static double StepResponse(ExponentialSmoothing smoothing, int start, int t, out double level, out double trend, double[] seasonal, int index, out double atIndex,
        out double last)
    {
        level = 0; trend = 0; atIndex = 0; last = 0;
        double errors = 0;
        for (int j = start; j <= t; j++)
        {
            last = smoothing.Step(ref level, ref trend, seasonal, j, 1, out _);
            if (j == index) atIndex = last;
            errors += last;
        }
        return errors;
    }

    /// <summary>Each member's forecast of <paramref name="steps"/> values: <paramref name="output"/> holds [MemberCount, steps].</summary>
    /// <param name="unit">The history's scaling unit, which the autoregression's step limit follows (<see cref="DifferencedAutoregression.StepUnit"/>); NaN: the training series' own.</param>
    /// <returns>The changes of level the members read (<see cref="LevelShiftWatch.Changes"/>; a short history's found in its head afresh).</returns>
    public IReadOnlyList<LevelShiftChange> Forecast(StatisticalEnsemble ensemble, int steps, Span<double> output, double unit = double.NaN)
    {
        var state = this;
        if (Head is not null)
        {
            // Still short: the initial states read the whole history, so start from it afresh (a copy; this state stays as it is).
            state = Clone();
            foreach (var (start, shift) in state.Start(ensemble, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Head)))
                Raise(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(state.Recent), Count - 1, start, shift);
        }
        ensemble.Smoothing.Forecast(new FilterState(state.Level, state.Trend, state.Seasonal, Count), output[..steps]);
        state.Theta.Forecast(ensemble.Theta, Count, output.Slice(steps, steps));
        ensemble.Autoregression.Forecast(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(state.Recent), Count, state.First, state.Sum, output.Slice(2 * steps, steps), unit);
        return state.Shifts.Changes;
    }

    public StatisticalState Clone() => new()
    {
        Count = Count, Head = Head is null ? null : [.. Head], Recent = [.. Recent], First = First, Sum = Sum,
        Level = Level, Trend = Trend, Seasonal = [.. Seasonal], Theta = Theta.Clone(), Shifts = Shifts.Clone(),
    };

    /// <summary>Why this state cannot belong to <paramref name="ensemble"/> (say, an exported state given to another version), or null.</summary>
    public string? Problem(StatisticalEnsemble ensemble)
    {
        if (Count < 0) return "the count is negative";
        if (Seasonal is null || Seasonal.Length != ensemble.Smoothing.Season) return $"the smoothing keeps {ensemble.Smoothing.Season} seasonal states";
        if (Recent is null || Recent.Count != Math.Min(Count, Recent.Count) || Recent.Count < Math.Min(Count, RecentLength(ensemble)))
            return $"the last {Math.Min(Count, RecentLength(ensemble))} values are required";
        if (Head is not null && (Head.Count != Count || Count >= HeadLength(ensemble)))
            return "the head holds every value until the initial states are fixed, and nothing after";
        if (Head is null && Count < HeadLength(ensemble)) return "the head is required while the history is short";
        if (!double.IsFinite(First) || !double.IsFinite(Sum) || !double.IsFinite(Level) || !double.IsFinite(Trend)
            || !Seasonal.All(double.IsFinite) || !Recent.All(double.IsFinite) || (Head is not null && !Head.All(double.IsFinite)))
            return "the states must be finite";
        // Theta is stepped through every value once the head is fixed, and not before.
        if (Shifts is null) return "the level-shift watch is required";
        if (Shifts.Problem(Count, Head is not null) is { } shiftProblem) return shiftProblem;
        return Theta is null ? "theta's state is required" : Theta.Problem(ensemble.Theta, Head is null ? Count : 0);
    }
}
