namespace LstmService.Forecasting.Streaming;

/// <summary>
/// A forecast a stream answered, kept until every value it forecast has arrived: made after <see cref="Origin"/> values,
/// its element h forecasts value Origin + h. <see cref="Bands"/> holds the model's symmetric quantile pairs (lower then
/// upper per pair, as <see cref="Evaluation.Backtest.IntervalPairs"/> lists them) for interval coverage, and
/// <see cref="Lower"/>/<see cref="Upper"/> the anomaly interval (null for a model without quantile pairs).
/// </summary>
public sealed record IssuedForecast(int Origin, float[] Mean, float[][] Bands, float[]? Lower, float[]? Upper);

/// <summary>
/// One value scored against one forecast made for it <see cref="Step"/> steps ahead: the errors the backtest reports
/// (absolute, squared, scaled by the series' in-sample naive error as MASE is, the sMAPE term when defined) and, per
/// quantile pair, whether the value fell inside (bit k of <see cref="Hits"/> for pair k).
/// </summary>
public sealed record ObservationScore(int Index, int Step, float Actual, float Forecast, double AbsoluteError, double SquaredError,
    double ScaledError, double? Smape, int Hits);

/// <summary>A value outside the anomaly interval of the latest forecast made for it.</summary>
public sealed record AnomalyFlag(int Index, int Step, float Value, float Lower, float Upper);

/// <summary>Scores arriving values against the forecasts a stream made for them (pure functions, so their numbers can be checked by hand).</summary>
public static class OnlineScoring
{
    /// <summary>
    /// Scores <paramref name="actual"/> (value <paramref name="index"/>) against every issued forecast that covers it, and flags
    /// it when it lies outside the anomaly interval of the most recent of them (the fewest steps ahead).
    /// </summary>
    public static (List<ObservationScore> Scores, AnomalyFlag? Anomaly) Score(IEnumerable<IssuedForecast> issued, int index, float actual, double naiveScale)
    {
        var scores = new List<ObservationScore>();
        AnomalyFlag? anomaly = null;
        int nearest = int.MaxValue;
        foreach (var f in issued)
        {
            int h = index - f.Origin;
            if (h < 0 || h >= f.Mean.Length) continue;
            float forecast = f.Mean[h];
            double e = (double)forecast - actual, abs = Math.Abs(e), denominator = Math.Abs((double)actual) + Math.Abs((double)forecast);
            int hits = 0;
            for (int k = 0; k < f.Bands.Length / 2; k++)
                if (actual >= f.Bands[2 * k][h] && actual <= f.Bands[2 * k + 1][h]) hits |= 1 << k;
            scores.Add(new ObservationScore(index, h + 1, actual, forecast, abs, e * e, abs / naiveScale, denominator > 0 ? 2 * abs / denominator : null, hits));
            if (h < nearest && f.Lower is not null && f.Upper is not null)
            {
                nearest = h;
                anomaly = actual < f.Lower[h] || actual > f.Upper[h] ? new AnomalyFlag(index, h + 1, actual, f.Lower[h], f.Upper[h]) : null;
            }
        }
        return (scores, anomaly);
    }
}
