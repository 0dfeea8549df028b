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
}
