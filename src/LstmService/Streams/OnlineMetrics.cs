using System.Globalization;
using LstmService.Forecasting.Evaluation;

namespace LstmService.Streams;

/// <summary>Rolling metrics from stored scores, computed as the backtest computes its own (<see cref="AccuracyAccumulator"/>'s formulas).</summary>
public static class OnlineMetrics
{
    /// <summary>The names of a version's quantile pairs, bit k of a score's hits standing for pair k ("0.1-0.9").</summary>
    public static string[] PairNames(IReadOnlyList<float> quantiles) =>
        Backtest.IntervalPairs(quantiles).Select(p => $"{p.Low.ToString(CultureInfo.InvariantCulture)}-{p.High.ToString(CultureInfo.InvariantCulture)}").ToArray();

    public static OnlineMetricsResponse From(IReadOnlyList<ScoreRecord> scores, string[] pairs)
    {
        var (rmse, mae, mase, smape) = Accuracy(scores);
        var steps = scores.GroupBy(s => s.Step).OrderBy(g => g.Key).Select(g =>
        {
            var list = g.ToList();
            var (r, a, m, _) = Accuracy(list);
            return new StepMetricsResponse(g.Key, list.Count, r, a, m, Coverage(list, pairs));
        }).ToList();
        return new OnlineMetricsResponse(scores.Count, rmse, mae, mase, smape, Coverage(scores, pairs), steps);
    }

    static (double? Rmse, double? Mae, double? Mase, double? Smape) Accuracy(IReadOnlyList<ScoreRecord> scores)
    {
        if (scores.Count == 0) return (null, null, null, null);
        double sq = 0, abs = 0, scaled = 0, smape = 0;
        int smapeCount = 0;
        foreach (var s in scores)
        {
            sq += s.SquaredError; abs += s.AbsoluteError; scaled += s.ScaledError;
            if (s.Smape is { } term) { smape += term; smapeCount++; }
        }
        int n = scores.Count;
        return (Math.Sqrt(sq / n), abs / n, scaled / n, smapeCount > 0 ? 100 * smape / smapeCount : 0);
    }

    static Dictionary<string, double?> Coverage(IReadOnlyList<ScoreRecord> scores, string[] pairs)
    {
        var coverage = new Dictionary<string, double?>(StringComparer.Ordinal);
        for (int k = 0; k < pairs.Length; k++)
            coverage[pairs[k]] = scores.Count == 0 ? null : (double)scores.Count(s => (s.Hits & (1 << k)) != 0) / scores.Count;
        return coverage;
    }
}
