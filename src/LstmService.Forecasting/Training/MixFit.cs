namespace LstmService.Forecasting.Training;

/// <summary>What <see cref="StatisticsMixer.Fit"/> decides.</summary>
/// <param name="Weights">The mix's weights, the network first.</param>
/// <param name="Calibration">The interval offsets [Q, Horizon], or null when not calibrated.</param>
/// <param name="SeriesScales">In a model of several series, each series' interval scales (<see cref="SeriesIntervalScales"/>), or null.</param>
/// <param name="SeriesWeights">In a model of several series, each series' own weights (<see cref="MixWeights.PerSeries"/>), or null.</param>
internal sealed record MixFit(float[] Weights, float[]? Calibration, float[]?[]? SeriesScales = null, float[]?[]? SeriesWeights = null);
