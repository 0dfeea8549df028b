namespace LstmService.Forecasting.Series;

/// <summary>One training or validation window: series index and the index of its first target.</summary>
internal readonly record struct WindowRef(int Series, int TargetStart);
