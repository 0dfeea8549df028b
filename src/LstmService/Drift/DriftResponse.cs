namespace LstmService.Drift;

/// <summary>
/// Whether the version drifts now (its latest drift episode is open), since when and at what ratio (online MASE over
/// backtest MASE at the flag; null when the backtest's was 0), how many episodes it has had, and, when the rule cannot judge
/// the version (no backtest), why not.
/// </summary>
/// <param name="Flagged">True while the latest drift episode is open; false before any flag and once it has cleared.</param>
/// <param name="Since">When the open episode was flagged; null when none is open.</param>
/// <param name="Ratio">The open episode's online MASE over the backtest's at its flag; null when none is open or the backtest's MASE was 0.</param>
/// <param name="Factor">Monitoring:DriftFactor: the ratio above which a version drifts.</param>
/// <param name="Observations">Monitoring:DriftObservations: the values each judgment reads, appended one at a time (a batch append's
/// values are scored fewer times, and the window then reaches further back).</param>
/// <param name="AutoRetrain">Monitoring:AutoRetrain: whether a flag queues a challenger.</param>
/// <param name="NotJudged">Why the rule cannot judge this version (no backtest); null when it can.</param>
/// <param name="Episodes">Drift episodes flagged so far, open or cleared (each has its "drift" decision, and a cleared one its "cleared").</param>
/// <param name="CurrentRatio">The rule's statistic now: online MASE over its window (the newest Scores scores stored since its
/// latest decision) over the backtest's (maseRatio covers Streams:MonitoringWindow scores, so it can stay high long after a drift
/// cleared); null while the window holds fewer, without a backtest, or when the backtest's MASE was 0.</param>
/// <param name="Scores">The scores a judgment reads: Observations x the version's horizon (at most 1,000,000).</param>
/// <param name="ScoresSoFar">The scores in the rule's window now, at most Scores: fewer, and the rule has not judged it yet.</param>
/// <param name="ValuesSoFar">The values those scores score, while the window is not full; null once it is.</param>
public sealed record DriftResponse(bool Flagged, DateTimeOffset? Since, double? Ratio, double Factor, int Observations, bool AutoRetrain, string? NotJudged = null,
    int Episodes = 0, double? CurrentRatio = null, int Scores = 0, int ScoresSoFar = 0, int? ValuesSoFar = null);
