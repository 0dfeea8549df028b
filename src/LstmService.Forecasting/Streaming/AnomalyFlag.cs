namespace LstmService.Forecasting.Streaming;

/// <summary>A value outside the anomaly interval of the latest forecast made for it.</summary>
public sealed record AnomalyFlag(int Index, int Step, float Value, float Lower, float Upper);
