namespace LstmService.Streams;

/// <summary>A value (index <paramref name="Index"/> of the series, from 0) outside the anomaly interval of the forecast made <paramref name="Step"/> steps before it.</summary>
/// <param name="Index">The value's position in the stream's series, from 0 (the history's first value).</param>
/// <param name="Step">Steps ahead the forecast it was flagged against (the latest made for the value) was made: 1 when made just before it.</param>
/// <param name="Value">The value as appended.</param>
/// <param name="Lower">The anomaly interval's lower end at that step: the Streams:AnomalyLow quantile (0.01 by default).</param>
/// <param name="Upper">The anomaly interval's upper end at that step: the Streams:AnomalyHigh quantile (0.99 by default).</param>
/// <param name="FlaggedAt">When the append that flagged it was stored (UTC).</param>
public sealed record AnomalyResponse(int Index, int Step, float Value, float Lower, float Upper, DateTimeOffset FlaggedAt)
{
    // Stored as doubles, but each was a float forecast or value: read back as floats they print as written (89.36547, not 89.36547088623047).
    public static AnomalyResponse From(AnomalyRecord a) => new(a.Index, a.Step, (float)a.Value, (float)a.Lower, (float)a.Upper, a.FlaggedAt);
}
