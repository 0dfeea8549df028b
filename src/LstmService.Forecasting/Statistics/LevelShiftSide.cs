namespace LstmService.Forecasting.Statistics;

/// <summary>One side of a <see cref="LevelShiftWatch"/>'s CUSUM, in typical errors, with its run (errors signed so that the side's are positive). Plain data.</summary>
public sealed class LevelShiftSide
{
    /// <summary>The sum (0 at rest), within [0, <see cref="LevelShiftWatch.Cap"/>].</summary>
    public double Sum { get; set; }
    /// <summary>The index of the run's first value.</summary>
    public int Start { get; set; }
    /// <summary>The sum of the run's errors, the largest of them and its index.</summary>
    public double Errors { get; set; }
    public double Peak { get; set; }
    public int PeakAt { get; set; }
    /// <summary>Values in a row for which the sum has been at the threshold or above.</summary>
    public int Held { get; set; }
    /// <summary>
    /// Where the change in the run begins: its first value, or a later one whose error was more than twice the onset's
    /// before it (<see cref="OnsetError"/>), the sum of the run's errors before it in <see cref="Before"/>. A noisy value or
    /// two just before a step starts the run early; read from there, the members and the window had raised those values
    /// too, a dip of the whole shift that the weekly lags then repeated (a walk's -30: 0.63 -> 1.17 of a seasonal naive error).
    /// 0 in states stored before it existed: read from the run's start (and its peak's error) on.
    /// </summary>
    public int Onset { get; set; }
    public double OnsetError { get; set; }
    public double Before { get; set; }

    /// <summary>The sum moved by <paramref name="z"/> (the error <paramref name="e"/> of value <paramref name="t"/> in typical errors) less the allowance; a sum back at 0 ends the run.</summary>
    internal void Read(double z, double e, int t)
    {
        if (Sum == 0) { Start = t; Errors = 0; Peak = e; PeakAt = t; Onset = t; OnsetError = e; Before = 0; }
        else if (Onset < Start) (Onset, OnsetError, Before) = (Start, Peak, 0); // a run stored before the onset existed
        Sum = Math.Clamp(Sum + z - LevelShiftWatch.Allowance, 0, LevelShiftWatch.Cap);
        if (Sum == 0) { Start = t + 1; Errors = Peak = 0; PeakAt = 0; Held = 0; Onset = 0; OnsetError = Before = 0; return; }
        // Every error after the onset is at most twice the onset's, so the run's peak never lies before it.
        if (e > 2 * OnsetError) (Onset, OnsetError, Before) = (t, e, Errors);
        Errors += e;
        if (e > Peak) (Peak, PeakAt) = (e, t);
        Held = Sum >= LevelShiftWatch.Threshold ? Held + 1 : 0;
    }

    /// <summary>Why this side cannot be a watch's after <paramref name="count"/> values, or null (<paramref name="name"/>: "up" or "down").</summary>
    internal string? Problem(int count, string name)
    {
        if (!double.IsFinite(Sum) || !double.IsFinite(Errors) || !double.IsFinite(Peak)) return $"{name}: its sums must be finite";
        if (Sum < 0 || Sum > LevelShiftWatch.Cap) return $"{name}.sum must lie within [0, {LevelShiftWatch.Cap}]";
        if (!double.IsFinite(OnsetError) || !double.IsFinite(Before)) return $"{name}: its onset's error and the errors before it must be finite";
        if (Sum == 0)
            return Held == 0 && Errors == 0 && Peak == 0 && Onset == 0 && OnsetError == 0 && Before == 0 ? null
                : $"{name}: a side at rest (sum 0) holds no run (held, errors, peak, onset, onsetError and before 0)";
        if (Start < 0 || Start >= count || PeakAt < Start || PeakAt >= count) return $"{name}: its run's start and peakAt must lie within the history, peakAt from the start on";
        if (Onset != 0 && (Onset < Start || Onset > PeakAt)) return $"{name}.onset must lie within its run, at or before its peakAt (0 in states stored before it existed)";
        if (Held < 0 || Held > count - Start || Held > 0 && Sum < LevelShiftWatch.Threshold)
            return $"{name}.held must count values of its run at the threshold ({LevelShiftWatch.Threshold}) or above";
        return null;
    }

    public LevelShiftSide Clone() => (LevelShiftSide)MemberwiseClone();
}
