namespace LstmService.Drift;

/// <summary>
/// One monitoring decision about a version, as stored (JSON in version_events.detail): a drift flag ("drift"), the
/// challenger queued for it ("retrain", with the recent values it trains and is compared on), the comparison of champion
/// and challenger ("challenge" on the champion, the same as "trial" on the challenger; decisions stored before that were
/// "challenge" on both), or the end of a drift ("cleared": back within the factor, or its challenger lost). Fields a kind
/// does not use stay null.
/// </summary>
public sealed record VersionDecision
{
    public required string Kind { get; init; }
    /// <summary>The drift episode the decision belongs to (1 for the version's first flag; a "trial" is always 1).</summary>
    public int Episode { get; init; } = 1;
    /// <summary>"drift", "cleared": the newest score (stream_scores.seq) the rule had read; the next judgment reads later ones only.</summary>
    public long? ScoresThrough { get; init; }
    public DateTimeOffset At { get; init; }
    public string Summary { get; init; } = "";
    public double? Ratio { get; init; }
    /// <summary>"drift", "cleared": the values the judgment read; its scores where <see cref="Scores"/> is null (decisions stored before it).</summary>
    public int? Observations { get; init; }
    /// <summary>"drift", "cleared": the scores the judgment read (each value's, at every step it was forecast at); null in decisions stored before it.</summary>
    public int? Scores { get; init; }
    public double? OnlineMase { get; init; }
    public double? BacktestMase { get; init; }
    public Guid? JobId { get; init; }
    public string? Alias { get; init; }
    public IReadOnlyList<string>? Streams { get; init; }
    public int? Champion { get; init; }
    public int? Challenger { get; init; }
    public double? ChampionMae { get; init; }
    public double? ChallengerMae { get; init; }
    public int? ComparedValues { get; init; }
    public bool? AliasMoved { get; init; }
    /// <summary>"challenge", "trial": whether the challenger was Monitoring:ChallengerMargin better (null in decisions stored before it).</summary>
    public bool? Won { get; init; }
    /// <summary>"retrain": each stream's recent values at the flag (null = missing); the last ComparisonValues of each are the comparison's.</summary>
    public IReadOnlyList<double?[]>? Recent { get; init; }
    /// <summary>
    /// "retrain": each stream's series id, parallel to <see cref="Recent"/>, under which champion and challenger forecast it in
    /// the comparison (null in decisions stored before it, whose comparison names no series).
    /// </summary>
    public IReadOnlyList<string?>? SeriesIds { get; init; }
    public int? Holdout { get; init; }
    /// <summary>
    /// "retrain": each stream's length at the decision, parallel to <see cref="Streams"/>: a later episode's challenger waits
    /// until a stream has grown by the values this one was compared on, so it trains on them (null in decisions stored before it).
    /// </summary>
    public IReadOnlyList<int>? Lengths { get; init; }
}
