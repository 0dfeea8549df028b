namespace LstmService.Forecasting.Streaming;

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
