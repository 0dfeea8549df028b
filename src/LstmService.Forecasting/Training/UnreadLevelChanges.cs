using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

/// <summary>
/// Which of a calibration's residuals no forecast could have known: a window's target at or after a change of level that
/// the members' watch (<see cref="LevelShiftWatch"/>) had not read at the window's origin (the change lies in the targets,
/// or was too young to be read). A change in the validation part put every later step of most of its few windows there,
/// and the intervals, never narrower than those windows show, were six times as wide after a change inside the training
/// part (shifts --inside 14: an interval score of 45.8 where 7.7 without the change).
/// </summary>
internal static class UnreadLevelChanges
{
    /// <summary>
    /// Per window of <paramref name="windows"/> and horizon step, whether its target lies at or after a change of level
    /// unread at its origin ([window, step]); null where no series of <paramref name="data"/> (on the members' scale) that
    /// these windows read holds a change read.
    /// </summary>
    public static bool[]? Of(StatisticalEnsemble statistics, WindowedData data, List<WindowRef> windows, CancellationToken cancellationToken = default)
    {
        int s = data.Horizon;
        bool[]? unread = null;
        foreach (var group in windows.Select((window, index) => (window, index)).GroupBy(p => p.window.Series))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reads = ReadTimes(statistics, data.Filled[group.Key]);
            if (reads.Count == 0) continue;
            unread ??= new bool[windows.Count * s];
            foreach (var (window, index) in group)
                for (int t = 0; t < s; t++)
                    unread[index * s + t] = reads.Any(r => r.Change.Start <= window.TargetStart + t && window.TargetStart < r.ReadFrom);
        }
        return unread;
    }

    /// <summary>
    /// The changes of level the members read in <paramref name="series"/>, each with the first origin whose forecast reads it
    /// (<see cref="StatisticalState.Forecast"/> of the values before that origin): past the members' head, the value that
    /// completes its run, as a stream reads it; within the head, which a forecast reads afresh, the first origin whose head
    /// shows it (<see cref="LevelShiftWatch.InHead"/>).
    /// </summary>
    internal static List<(LevelShiftChange Change, int ReadFrom)> ReadTimes(StatisticalEnsemble statistics, float[] series)
    {
        var reads = new List<(LevelShiftChange Change, int ReadFrom)>();
        var state = StatisticalState.Create(statistics);
        LevelShiftChange? last = null;
        for (int t = 0; t < series.Length; t++)
        {
            state.Add(statistics, series[t]);
            var kept = state.Shifts.Changes;
            if (kept.Count == 0 || ReferenceEquals(kept[^1], last)) continue;
            // The changes after the last one seen are new (the head, once fixed, may hold more than one); where that one is no
            // longer kept, every change kept came after it.
            for (int j = last is null ? 0 : kept.IndexOf(last) + 1; j < kept.Count; j++) reads.Add((kept[j], t + 1));
            last = kept[^1];
        }
        var scratch = new double[StatisticalEnsemble.MemberCount];
        if (state.Head is not null) reads.AddRange(state.Forecast(statistics, 1, scratch).Select(c => (c, series.Length)));
        // A forecast from within the head reads it afresh, and may have read a change before the head was fixed: the first
        // origin that does, searched by halves (a change once read in a head stays read as values come; each look reads the
        // head once, and a season of 168 had cost a long head's training seconds looked for origin by origin). The earliest
        // is a value past the search's edge (LevelShiftWatch.InHead waits a value there).
        int head = StatisticalState.HeadLength(statistics), run = LevelShiftWatch.RunLength(StatisticalState.SpikePeriod(statistics));
        var values = Array.ConvertAll(series, v => (double)v);
        bool Reads(int origin, LevelShiftChange change) => StatisticalState.Build(statistics, values.AsSpan(0, origin)).Forecast(statistics, 1, scratch)
            .Any(c => Math.Abs(c.Start - change.Start) <= run);
        for (int j = 0; j < reads.Count; j++)
        {
            var (change, readFrom) = reads[j];
            int low = change.Start + LevelShiftWatch.MinimumRun + 1, high = Math.Min(readFrom, head);
            if (low >= high) continue;
            while (low < high)
            {
                int middle = low + (high - low) / 2;
                if (Reads(middle, change)) high = middle;
                else low = middle + 1;
            }
            if (low < Math.Min(readFrom, head)) reads[j] = (change, low);
        }
        return reads;
    }
}
