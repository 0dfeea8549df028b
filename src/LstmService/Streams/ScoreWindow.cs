namespace LstmService.Streams;

/// <summary>
/// The drift rule's window over a version's newest scores (a stream's value is scored once per forecast that covered it): how
/// many it holds, how many distinct values they score where counted, the sum of their scaled errors and the newest seq.
/// </summary>
public sealed record ScoreWindow(int Scores, int? Values, double ScaledErrorSum, long NewestSeq)
{
    /// <summary>The online MASE over the window: the mean of its scaled errors (0 when it is empty).</summary>
    public double Mase => Scores > 0 ? ScaledErrorSum / Scores : 0;

    /// <summary>The most scores a window reads, whatever Monitoring:DriftObservations and the horizon: each append scans them.</summary>
    public const int MaxScores = 1_000_000;

    /// <summary>
    /// The scores a window of <paramref name="values"/> values of a version forecasting <paramref name="horizon"/> steps reads:
    /// a value appended alone is scored at every step it was forecast at, so that many values (a window counted in scores had
    /// read the last two values at a horizon of 12). A batch append scores each of its values fewer times, only by the
    /// forecasts made before it, and the window then reaches further back.
    /// </summary>
    public static int Size(int values, int horizon) => (int)Math.Min(MaxScores, (long)values * Math.Max(1, horizon));
}
