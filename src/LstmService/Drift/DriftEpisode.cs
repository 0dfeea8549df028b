namespace LstmService.Drift;

/// <summary>
/// One drift of a version: the flag that opened it and the decision that closed it (null while it is open). An episode
/// closes when the online MASE over a full window of values scored after the flag is back within the factor, or when its
/// challenger loses or never runs; the rule then judges the version again, on values scored after that, and may open the next.
/// </summary>
public sealed record DriftEpisode(VersionDecision Flag, VersionDecision? Cleared)
{
    public int Number => Flag.Episode;

    public bool Open => Cleared is null;

    /// <summary>The newest score the episode's last decision judged: the rule reads only scores after it.</summary>
    public long ScoresThrough => (Cleared ?? Flag).ScoresThrough ?? 0;

    /// <summary>
    /// The latest episode among a version's decisions (its drift, cleared and challenge ones suffice), or null before its first
    /// flag. A challenge that lost closes its episode even without a "cleared": a release before episodes recorded none, and
    /// its lost challenges would otherwise have held their versions flagged for good after the upgrade.
    /// </summary>
    public static DriftEpisode? Latest(IEnumerable<VersionDecision> decisions)
    {
        VersionDecision? flag = null, cleared = null, lost = null;
        foreach (var d in decisions)
            if (d.Kind == "drift" && (flag is null || d.Episode > flag.Episode)) flag = d;
        if (flag is null) return null;
        foreach (var d in decisions.Where(d => d.Episode == flag.Episode))
            if (d.Kind == "cleared") cleared = d;
            else if (d.Kind == "challenge" && !Won(d)) lost = d;
        return new DriftEpisode(flag, cleared ?? (lost is null ? null : new VersionDecision
        {
            Kind = "cleared", Episode = flag.Episode, At = lost.At, Summary = "The challenger lost (a decision stored before drift episodes).",
        }));
    }

    /// <summary>Whether a comparison's challenger won; one stored before <see cref="VersionDecision.Won"/> won where its summary says so.</summary>
    public static bool Won(VersionDecision challenge) => challenge.Won ?? challenge.Summary.Contains("The challenger won", StringComparison.Ordinal);
}
