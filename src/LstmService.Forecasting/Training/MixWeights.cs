namespace LstmService.Forecasting.Training;

/// <summary>
/// The mix's weights (the network first, then each member) from their forecasts on scored rows: the convex combination
/// with the least squared error where <c>stack</c> (<see cref="ConvexStacking"/>), else inversely proportional to each
/// one's mean squared error, those more than <see cref="StatisticsMixer.TrimRatio"/> times the best one's left out where
/// <c>trimmed</c>; equal without a scored value.
/// </summary>
internal static class MixWeights
{
    /// <param name="targets">[rows, s] encoded targets (NaN: not scored).</param>
    /// <param name="members">[rows, members, s] the members' encoded forecasts.</param>
    /// <param name="predictions">[rows, o] the network's outputs (its first s values its mean), or empty where it forecasts zero (a silenced one).</param>
    /// <param name="rows">The rows scored, in increasing order.</param>
    /// <param name="corrects">Whether the network's forecast is the members' mean plus its output.</param>
    public static float[] Of(ReadOnlySpan<float> targets, ReadOnlySpan<float> members, ReadOnlySpan<float> predictions, int o, int memberCount, int s,
        IReadOnlyList<int> rows, bool corrects, bool stack, bool trimmed)
    {
        int forecasters = memberCount + 1;
        var squared = new double[forecasters];
        var gram = new double[forecasters * forecasters];
        var cross = new double[forecasters];
        var forecast = new double[forecasters];
        long count = 0;
        foreach (int i in rows)
            for (int t = 0; t < s; t++)
            {
                float y = targets[i * s + t];
                if (float.IsNaN(y)) continue;
                count++;
                double network = predictions.IsEmpty ? 0 : predictions[i * o + t];
                if (corrects)
                    for (int j = 0; j < memberCount; j++) network += members[(i * memberCount + j) * s + t] / memberCount;
                forecast[0] = network;
                for (int j = 0; j < memberCount; j++) forecast[1 + j] = members[(i * memberCount + j) * s + t];
                for (int a = 0; a < forecasters; a++)
                {
                    double e = y - forecast[a];
                    squared[a] += e * e;
                    if (!stack) continue;
                    cross[a] += forecast[a] * y;
                    for (int b = 0; b < forecasters; b++) gram[a * forecasters + b] += forecast[a] * forecast[b];
                }
            }
        // A forecaster whose forecasts overflowed (an explosive fit on a few values) gets no weight rather than NaN ones.
        for (int a = 0; a < forecasters; a++) if (!double.IsFinite(squared[a])) squared[a] = double.PositiveInfinity;
        var weights = new float[forecasters];
        if (stack && count > 0 && ConvexStacking.Weights(gram, cross, forecasters) is { } convex)
        {
            for (int j = 0; j < forecasters; j++) weights[j] = (float)convex[j];
        }
        else if (count == 0) Array.Fill(weights, 1f / weights.Length);
        else
        {
            // Trimmed (in-sample errors only): a forecaster twice as bad as the best gets no weight at all.
            double bestMse = squared.Min();
            double trim = trimmed ? StatisticsMixer.TrimRatio : double.PositiveInfinity;
            var inverse = squared.Select(v => v > trim * bestMse ? 0 : 1 / Math.Max(v / count, 1e-12)).ToArray();
            double total = inverse.Sum();
            if (total > 0 && double.IsFinite(total))
                for (int j = 0; j < weights.Length; j++) weights[j] = (float)(inverse[j] / total);
            else Array.Fill(weights, 1f / weights.Length);
        }
        return weights;
    }

    /// <summary>
    /// Each series' own weights (a model of several series), where it has at least
    /// <see cref="SeriesIntervalScales.MinimumWindows"/> scored rows, moved toward <paramref name="pooled"/> as its interval
    /// scales are (n / (n + <see cref="SeriesIntervalScales.ShrinkageWindows"/>) of the way); null for the others.
    /// </summary>
    public static float[]?[] PerSeries(float[] pooled, IReadOnlyList<int> seriesOfRow, int seriesCount, Func<IReadOnlyList<int>, float[]> weigh)
    {
        var rows = new List<int>?[seriesCount];
        for (int i = 0; i < seriesOfRow.Count; i++)
            if (seriesOfRow[i] >= 0) (rows[seriesOfRow[i]] ??= []).Add(i);
        var weights = new float[]?[seriesCount];
        for (int k = 0; k < seriesCount; k++)
        {
            if (rows[k] is not { Count: >= SeriesIntervalScales.MinimumWindows } mine) continue;
            var own = weigh(mine);
            float share = (float)(mine.Count / (mine.Count + SeriesIntervalScales.ShrinkageWindows));
            weights[k] = [.. own.Select((w, j) => share * w + (1 - share) * pooled[j])];
        }
        return weights;
    }
}
