namespace LstmService.Forecasting.Statistics;

/// <summary>
/// Watches the smoothing's one-step errors of a history for a lasting change of level: a two-sided CUSUM on the errors in
/// units of their typical size (the mean absolute error so far, each error counted at most <see cref="ScaleClip"/> of
/// them, so a shift does not hide itself by inflating the unit). A side whose sum has stayed at least
/// <see cref="Threshold"/> for a run of values (a season, at least <see cref="MinimumRun"/>) reports the run; the classical
/// members then read the values before it at the new level (<see cref="StatisticalState"/>). Their parameters were fitted
/// on histories without such a change: a daily series that moved from 100 to 140 three weeks before its forecast was
/// forecast at 105-130 where 131-152 came (a QA pass; the smoothing's α was 0.0001). Plain data, kept in a stream's state.
/// </summary>
public sealed class LevelShiftWatch
{
    /// <summary>The allowance per value, in typical errors (about 0.8 standard deviations of normal errors).</summary>
    internal const double Allowance = 1;
    /// <summary>The sum a side must hold for a run, in typical errors (about 6.4 standard deviations).</summary>
    internal const double Threshold = 8;
    /// <summary>
    /// Where a side's sum stops growing: two allowances above the threshold, so a burst of a few large errors (a holiday, a
    /// glitch the spike rules left in) falls back under the threshold within a few ordinary values instead of counting as a run.
    /// </summary>
    internal const double Cap = Threshold + 2 * Allowance;
    /// <summary>Errors read into the typical size are at most this many of it.</summary>
    internal const double ScaleClip = 4;
    /// <summary>The shortest run reported, and the values the typical size is read from before any is.</summary>
    internal const int MinimumRun = 4;

    /// <summary>
    /// The smallest shift read as a change of level, in typical errors (about 6.4 standard deviations of normal errors).
    /// Smaller runs on the suites were a stationary series' spells (melbourne_min_temp's cold weeks, 3.8 typical errors,
    /// had moved the autoregression's long-run mean with them), intermittent demand's bursts, and a glitch's neighbours.
    /// </summary>
    internal const double MinimumShift = 8;

    /// <summary>How far (in typical errors) a run's shift may lie beyond its largest error (<see cref="StatisticalState"/>).</summary>
    internal const double PeakAllowance = 2;

    /// <summary>
    /// How far (in typical errors, plus half that error) the error of the value that completes a run may lie from the error a
    /// step of the run's shift would have left there (<see cref="StatisticalState"/>): the change must still be there (a run
    /// that starts a value early misreads the step a little). An imported state whose run was edited to sum a million had
    /// raised a series about 140 to 7,097.
    /// </summary>
    internal const double LastAllowance = 4;

    /// <summary>The sum of the errors' (clipped) absolute values and their count: the typical size's.</summary>
    public double ErrorSum { get; set; }
    public int ErrorCount { get; set; }
    /// <summary>The run of errors above the allowance, and the run below it.</summary>
    public LevelShiftSide Up { get; set; } = new();
    public LevelShiftSide Down { get; set; } = new();
    /// <summary>The last jumps above and below: values whose error alone was <see cref="MinimumShift"/> typical errors or more, read from a quiet watch (0: none; <see cref="Reports"/>).</summary>
    public int UpJumpAt { get; set; }
    public int DownJumpAt { get; set; }
    /// <summary>
    /// The last changes read (at most <see cref="ChangesKept"/>, oldest first): a forecast's window reads the values before
    /// each at its new level too (<see cref="Models.ForecastModel"/>), as the members do. Empty in states stored before it existed.
    /// </summary>
    public List<LevelShiftChange> Changes { get; set; } = [];

    /// <summary>How many changes <see cref="Changes"/> keeps: a window that held more would be a series of steps, not a change.</summary>
    internal const int ChangesKept = 8;

    /// <summary>Keeps a change read (<see cref="Changes"/>), the oldest left out beyond <see cref="ChangesKept"/>.</summary>
    internal void Record(int start, double shift)
    {
        Changes.Add(new LevelShiftChange(start, shift));
        if (Changes.Count > ChangesKept) Changes.RemoveAt(0);
    }

    /// <summary>
    /// Raises the values of <paramref name="window"/> (whose last is value <paramref name="last"/> of the history) by the
    /// shifts of the <paramref name="changes"/> after them, on a copy; the window itself when none is.
    /// </summary>
    internal static float[] AtLatestLevel(float[] window, int last, IReadOnlyList<LevelShiftChange> changes)
    {
        int first = last + 1 - window.Length;
        float[]? raised = null;
        foreach (var change in changes)
        {
            if (change.Start <= first) continue;
            raised ??= (float[])window.Clone();
            for (int i = 0; i < raised.Length && first + i < change.Start; i++) raised[i] = (float)(raised[i] + change.Shift);
        }
        return raised ?? window;
    }

    /// <summary>The run a season long (<paramref name="season"/> values) needs before it counts: at least <see cref="MinimumRun"/>.</summary>
    internal static int RunLength(int season) => Math.Max(MinimumRun, season);

    /// <summary>The typical error so far (0 before any).</summary>
    internal double Unit => ErrorCount > 0 ? ErrorSum / ErrorCount : 0;

    /// <summary>
    /// Reads the error <paramref name="e"/> of value <paramref name="t"/>; returns the run once one side has held for
    /// <paramref name="run"/> values, and starts afresh, else null.
    /// </summary>
    internal LevelShiftRun? Observe(int t, double e, int run)
    {
        if (!double.IsFinite(e)) return null;
        double unit = Unit;
        bool ready = ErrorCount >= run && unit > 0;
        ErrorSum += unit > 0 ? Math.Min(Math.Abs(e), ScaleClip * unit) : Math.Abs(e);
        ErrorCount++;
        if (!ready) return null;
        // A jump from a quiet watch: neither side's sum was half way to the threshold before it (see Reports).
        bool quiet = Up.Sum < Threshold / 2 && Down.Sum < Threshold / 2;
        Up.Read(e / unit, e, t);
        Down.Read(-e / unit, -e, t);
        if (quiet && e >= MinimumShift * unit) UpJumpAt = t;
        else if (quiet && -e >= MinimumShift * unit) DownJumpAt = t;
        var held = Reports(Up, UpJumpAt, t, run) ? Up : Reports(Down, DownJumpAt, t, run) ? Down : null;
        if (held is null) return null;
        double sign = held == Up ? 1 : -1;
        var found = new LevelShiftRun(held.Onset, sign * (held.Errors - held.Before), sign * held.Peak, held.PeakAt, e, unit);
        Up = new LevelShiftSide();
        Down = new LevelShiftSide();
        return found;
    }

    /// <summary>
    /// Whether <paramref name="side"/>'s run is reported at value <paramref name="t"/>: its sum has held the threshold for
    /// <paramref name="run"/> values, or it began with a jump (<paramref name="jump"/>: one error of at least
    /// <see cref="MinimumShift"/> typical errors while neither side's sum was half way to the threshold) and has lasted a
    /// season of values (<paramref name="run"/>) from it. A smoothing that follows a change within a few values (α 0.73)
    /// errs by the whole step once and little after it, so its sum falls back under the threshold in two or three values;
    /// the autoregression and the window then read the step as it came, and a daily series that had moved by 40 two weeks
    /// before its training part ended was forecast 20 too high (the differenced autoregression repeated the step through
    /// its weekly lags). From a watch that is not quiet the jump may end a burst (a quick smoothing's level is then the
    /// burst's, and M4's weekly W349, back from a three-week rise to 9,323, had read a fall to its earlier level as a change
    /// of two thirds, 0.624 -> 1.247); what a jump's run says (a glitch, a holiday) the shift's guards decide
    /// (<see cref="StatisticalState"/>). A jump counts once the typical error is read from <see cref="JumpReadiness"/>
    /// runs' worth of errors: from the first few, one ordinary error can be eight of them.
    /// </summary>
    bool Reports(LevelShiftSide side, int jump, int t, int run) =>
        side.Held >= run || side.Sum > 0 && jump > 0 && side.Onset == jump && ErrorCount >= JumpReadiness * run && t - jump + 1 >= run;

    /// <summary>How many runs' worth of errors the typical error is read from before one error alone can begin a run (<see cref="Reports"/>).</summary>
    internal const int JumpReadiness = 8;

    /// <summary>
    /// The changes of level inside a head that the smoothing reads whole (its α so small that its initial level is about the
    /// mean of every value), found in its one-step <paramref name="errors"/>: the split, at least <paramref name="run"/>
    /// values after the first <paramref name="run"/> and more than <see cref="MinimumRun"/> before the end (a change that
    /// young was read at the search's edge, early and too small), where a step in the errors' mean explains at
    /// least <see cref="HeadShare"/> of their variance and stands <see cref="HeadSignificance"/> times its noise above it
    /// (the noise read from successive differences, which a step hardly moves); then, as long as one is found, the same
    /// within each part on either side of a split (binary segmentation; each part at least <paramref name="run"/> values,
    /// the last more than <see cref="MinimumRun"/>), at most <see cref="ChangesKept"/> in all. Such a smoothing adapts to
    /// nothing, so a new level is read as a step in its errors; one that adapts spreads the step over a few errors and
    /// stays under the share. A head holding +40 and, ten days later, +80 had been read as one change of 56.
    /// </summary>
    /// <returns>Each change's first value at the new level and its size (the mean error of the part after it less that of
    /// the part before it), in order; empty where the head holds none.</returns>
    internal static List<(int Start, double Shift)> InHead(ReadOnlySpan<double> errors, int run)
    {
        int from = run, n = errors.Length;
        var found = new List<(int Start, double Shift)>();
        if (n - from < run + MinimumRun) return found;
        var prefix = new double[n - from + 1];
        for (int t = from; t < n; t++) prefix[t - from + 1] = prefix[t - from] + errors[t];
        var starts = new List<int>();
        double? noise = null;
        Split(errors, prefix, from, from, n, run, ref noise, starts);
        starts.Sort();
        double Mean(int lo, int hi) => (prefix[hi - from] - prefix[lo - from]) / (hi - lo);
        for (int k = 0; k < starts.Count; k++)
            found.Add((starts[k], Mean(starts[k], k + 1 < starts.Count ? starts[k + 1] : n) - Mean(k == 0 ? from : starts[k - 1], starts[k])));
        return found;
    }

    /// <summary>
    /// The best split of <paramref name="errors"/>[<paramref name="lo"/>..<paramref name="hi"/>) that passes
    /// <see cref="InHead"/>'s tests, added to <paramref name="starts"/>, then those of the parts on either side of it.
    /// <paramref name="prefix"/> holds the errors' running sums from <paramref name="from"/>; the noise is read once a split
    /// explains its share (sorting every head's differences had cost a long head's forecasts).
    /// </summary>
    static void Split(ReadOnlySpan<double> errors, double[] prefix, int from, int lo, int hi, int run, ref double? noise, List<int> starts)
    {
        int n = errors.Length, last = hi == n ? n - MinimumRun : hi - run;
        if (starts.Count >= ChangesKept || lo + run > last) return;
        double total = prefix[hi - from] - prefix[lo - from], mean = total / (hi - lo), squares = 0;
        for (int t = lo; t < hi; t++) squares += (errors[t] - mean) * (errors[t] - mean);
        int best = -1;
        double bestSquares = 0;
        for (int t0 = lo + run; t0 <= last; t0++)
        {
            double a = t0 - lo, b = hi - t0, sum = prefix[t0 - from] - prefix[lo - from], before = sum / a, after = (total - sum) / b;
            double between = (after - before) * (after - before) * a * b / (a + b);
            if (between > bestSquares) (best, bestSquares) = (t0, between);
        }
        // A split at the last place the search tries may be a later change read too early and too small (a change four
        // values old had been read a value before it, a week early with a season's search, at 22 of its 40): wait a value.
        if (best < 0 || hi == n && best == n - MinimumRun || !(bestSquares >= HeadShare * squares)) return;
        double deviation = noise ??= Noise(errors[from..]);
        if (!(deviation > 0 && Math.Sqrt(bestSquares) >= HeadSignificance * deviation || deviation == 0 && bestSquares > 0)) return;
        starts.Add(best);
        Split(errors, prefix, from, lo, best, run, ref noise, starts);
        Split(errors, prefix, from, best, hi, run, ref noise, starts);
    }

    /// <summary>The errors' noise read from their successive differences, which a step hardly moves.</summary>
    static double Noise(ReadOnlySpan<double> errors)
    {
        var steps = new double[errors.Length - 1];
        for (int t = 1; t < errors.Length; t++) steps[t - 1] = Math.Abs(errors[t] - errors[t - 1]);
        Array.Sort(steps);
        // The median absolute difference of independent normal errors is 0.954 of their deviation.
        return steps[steps.Length / 2] / 0.954;
    }

    /// <summary>The share of a head's error variance a step must explain (<see cref="InHead"/>).</summary>
    internal const double HeadShare = 0.5;
    /// <summary>How many times its noise a head's step must stand out (<see cref="InHead"/>).</summary>
    internal const double HeadSignificance = 6;

    public LevelShiftWatch Clone() => new()
    {
        ErrorSum = ErrorSum, ErrorCount = ErrorCount, Up = Up.Clone(), Down = Down.Clone(), UpJumpAt = UpJumpAt, DownJumpAt = DownJumpAt, Changes = [.. Changes],
    };

    /// <summary>Why this watch cannot be a state's after <paramref name="count"/> values (say, an edited export), or null.</summary>
    internal string? Problem(int count, bool head)
    {
        if (ErrorCount < 0 || ErrorCount > count) return "the level-shift watch's errorCount must lie within the history";
        if (!double.IsFinite(ErrorSum) || ErrorSum < 0 || ErrorCount == 0 && ErrorSum != 0)
            return "the level-shift watch's errorSum must be finite, non-negative, and 0 before any error is counted";
        if (Up is null || Down is null) return "the level-shift watch needs both its sides, up and down";
        if (Changes is { Count: > 0 } && head) return "the level-shift watch's changes are read once the head is fixed: a state with a head lists none";
        if (UpJumpAt < 0 || UpJumpAt >= Math.Max(1, count) || DownJumpAt < 0 || DownJumpAt >= Math.Max(1, count))
            return "the level-shift watch's upJumpAt and downJumpAt must lie within the history (0: none)";
        if (Changes is null || Changes.Count > ChangesKept) return $"the level-shift watch's changes must be a list of at most {ChangesKept} (empty when none was read)";
        for (int i = 0; i < Changes.Count; i++)
            if (Changes[i] is not { } change || change.Start < 1 || change.Start >= count || i > 0 && change.Start <= Changes[i - 1].Start
                || !double.IsFinite(change.Shift) || change.Shift == 0)
                return "the level-shift watch's changes must start within the history (after its first value), each later than the one before, with finite shifts other than 0";
        return Up.Problem(count, "the level-shift watch's up") ?? Down.Problem(count, "the level-shift watch's down");
    }
}
