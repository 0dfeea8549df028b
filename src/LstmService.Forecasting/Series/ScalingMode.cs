namespace LstmService.Forecasting.Series;

/// <summary>How each training window and forecast history is put on a common scale before it reaches the network.</summary>
public enum ScalingMode
{
    /// <summary>Each input window is centred on its own last observed level and divided by the series' scale:
    /// follows trends beyond the training range (the default).</summary>
    WindowLevel = 0,
    /// <summary>Per-series z-score computed on the training part.</summary>
    SeriesZScore = 1,
    /// <summary>Per-series median / IQR scaling, robust to outliers.</summary>
    SeriesRobust = 2,
}
