namespace LstmService.Forecasting.Statistics;

/// <summary>Applies a <see cref="SeriesTransform"/> and its inverse; NaN (missing) stays NaN.</summary>
public static class SeriesTransforms
{
    /// <summary>
    /// Transforms <paramref name="values"/> into <paramref name="output"/>. Under <see cref="SeriesTransform.Log"/>, values at or
    /// below zero (which a positive training series never had, and which a log-scale model's forecasts and streams refuse) are
    /// floored at a thousandth of the smallest positive value, so a caller that did not check still gets finite numbers.
    /// </summary>
    public static void Forward(SeriesTransform transform, ReadOnlySpan<float> values, Span<float> output)
    {
        if (transform == SeriesTransform.None) { values.CopyTo(output); return; }
        float floor = float.PositiveInfinity;
        foreach (var v in values) if (v > 0 && v < floor) floor = v;
        floor = float.IsPositiveInfinity(floor) ? 1e-6f : floor * 1e-3f;
        for (int i = 0; i < values.Length; i++)
            output[i] = float.IsNaN(values[i]) ? float.NaN : MathF.Log(Math.Max(values[i], floor));
    }

    public static float[] Forward(SeriesTransform transform, float[] values)
    {
        if (transform == SeriesTransform.None) return values;
        var output = new float[values.Length];
        Forward(transform, values, output);
        return output;
    }

    /// <summary>
    /// The series' scale from the transform's. Under <see cref="SeriesTransform.Log"/> a value past the largest float's logarithm
    /// saturates at <see cref="float.MaxValue"/> rather than overflowing, so a backtest's errors stay finite; the cap had been
    /// e^88 (1.65e38), which forecast a series near 3e38 at half its level.
    /// </summary>
    public static float Inverse(SeriesTransform transform, float value)
    {
        if (transform != SeriesTransform.Log) return value;
        float exp = MathF.Exp(value);
        return float.IsPositiveInfinity(exp) ? float.MaxValue : exp; // NaN (missing) stays NaN
    }

    /// <summary>Whether every observed value is positive (the log transform's domain).</summary>
    public static bool Positive(ReadOnlySpan<float> values)
    {
        foreach (var v in values) if (v <= 0) return false;
        return true;
    }

    /// <summary>The largest share of the series' mean absolute change that the log scale's resolution may take (<see cref="LogResolves"/>).</summary>
    public const double LogResolutionShare = 0.05;

    /// <summary>
    /// Whether the logarithms of <paramref name="values"/> (positive; NaN missing), held as 32-bit floats, still tell its values
    /// apart: at its largest value one step of the float's resolution of the log is that value times the step, which must be
    /// at most <see cref="LogResolutionShare"/> of the series' typical absolute change (the mean of the smallest nine tenths,
    /// so one jump to another scale does not pass for detail). Far from zero the log scale is ln(x) times coarser than the
    /// plain one: a QA pass saw a season of amplitude 12 about 1e7 forecast in steps of 19 with intervals of width 0, and
    /// about 1e8 flat.
    /// </summary>
    public static bool LogResolves(ReadOnlySpan<float> values)
    {
        float largest = 0, previous = float.NaN;
        var changes = new List<double>(values.Length);
        foreach (var v in values)
        {
            if (float.IsNaN(v)) continue;
            largest = Math.Max(largest, v);
            if (!float.IsNaN(previous)) changes.Add(Math.Abs((double)v - previous));
            previous = v;
        }
        if (changes.Count == 0 || !(largest > 0)) return true;
        changes.Sort();
        int typical = Math.Max(1, changes.Count * 9 / 10);
        double sum = 0;
        for (int i = 0; i < typical; i++) sum += changes[i];
        float log = MathF.Log(largest);
        double resolution = (double)largest * (MathF.BitIncrement(log) - log);
        return resolution <= LogResolutionShare * sum / typical;
    }
}
