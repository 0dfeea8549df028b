namespace LstmService.Streams;

/// <summary>A value (index <paramref name="Index"/> of the series, from 0) outside the anomaly interval of the forecast made <paramref name="Step"/> steps before it.</summary>
public sealed record AnomalyResponse(int Index, int Step, double Value, double Lower, double Upper, DateTimeOffset FlaggedAt)
{
    public static AnomalyResponse From(AnomalyRecord a) => new(a.Index, a.Step, a.Value, a.Lower, a.Upper, a.FlaggedAt);
}
