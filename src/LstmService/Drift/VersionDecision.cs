namespace LstmService.Drift;

/// <summary>
/// One monitoring decision about a version, as stored (JSON in version_events.detail): a drift flag ("drift"), the
/// challenger queued for it ("retrain", with the recent values it trains and is compared on), or the comparison of champion
/// and challenger ("challenge" on the champion, the same as "trial" on the challenger; decisions stored before that were
/// "challenge" on both). Fields a kind does not use stay null.
/// </summary>
public sealed record VersionDecision
{
    public required string Kind { get; init; }
    public DateTimeOffset At { get; init; }
    public string Summary { get; init; } = "";
    public double? Ratio { get; init; }
    public int? Observations { get; init; }
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
}
