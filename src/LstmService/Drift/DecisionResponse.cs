namespace LstmService.Drift;

/// <summary>A monitoring decision as the API shows it (the recent values a challenger trained on stay out).</summary>
public sealed record DecisionResponse(string Kind, int Episode, DateTimeOffset At, string Summary, double? Ratio, int? Observations, double? OnlineMase,
    double? BacktestMase, Guid? JobId, string? Alias, IReadOnlyList<string>? Streams, int? Champion, int? Challenger, double? ChampionMae,
    double? ChallengerMae, int? ComparedValues, bool? AliasMoved, bool? Won)
{
    public static DecisionResponse From(VersionDecision d) => new(d.Kind, d.Episode, d.At, d.Summary, d.Ratio, d.Observations, d.OnlineMase, d.BacktestMase,
        d.JobId, d.Alias, d.Streams, d.Champion, d.Challenger, d.ChampionMae, d.ChallengerMae, d.ComparedValues, d.AliasMoved, d.Won);
}
