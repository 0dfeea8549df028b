namespace LstmService.Drift;

/// <summary>
/// One drift of a version: the flag that opened it and the decision that closed it (null while it is open). An episode
/// closes when the online MASE over a full window of values scored after the flag is back within the factor, or when its
/// challenger loses; the rule then judges the version again, on values scored after that, and may open the next episode.
/// </summary>
public sealed record DriftEpisode(VersionDecision Flag, VersionDecision? Cleared)
{
    public int Number => Flag.Episode;

    public bool Open => Cleared is null;

    /// <summary>The newest score the episode's last decision judged: the rule reads only scores after it.</summary>
    public long ScoresThrough => (Cleared ?? Flag).ScoresThrough ?? 0;
}
