namespace LstmService.Streams;

/// <summary>
/// The drift rule's window over a version's newest scores: how many scores it holds, how many distinct values (a stream's
/// value is scored once per forecast that covered it) they score where counted, the sum of their scaled errors and the
/// newest seq.
/// </summary>
public sealed record ScoreWindow(int Scores, int? Values, double ScaledErrorSum, long NewestSeq)
{
    /// <summary>The online MASE over the window: the mean of its scaled errors (0 when it is empty).</summary>
    public double Mase => Scores > 0 ? ScaledErrorSum / Scores : 0;

    /// <summary>
    /// The scores a window of <paramref name="values"/> values of a version forecasting <paramref name="horizon"/> steps reads: each
    /// value is scored at every step it was forecast at, so a window counted in scores alone had read the last two values at a
    /// horizon of 12.
    /// </summary>
    public static int Size(int values, int horizon) => (int)Math.Min(int.MaxValue, (long)values * Math.Max(1, horizon));
}
