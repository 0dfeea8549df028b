namespace LstmService.Drift;

/// <summary>A monitoring decision as the API shows it (the recent values a challenger trained on stay out).</summary>
/// <param name="Kind">"drift" (a flag), "retrain" (the challenger queued or why none was), "challenge" (the comparison, on the champion), "trial" (the same, on the challenger) or "cleared" (the drift ended).</param>
/// <param name="Episode">The drift episode the decision belongs to: 1 for the version's first flag, then one more for each drift after a cleared one; a trial is 1.</param>
/// <param name="At">When the decision was recorded.</param>
/// <param name="Summary">The decision in one or two sentences.</param>
/// <param name="Ratio">"drift", "cleared": online MASE over the backtest's at the decision; null when the backtest's was 0 and for other kinds.</param>
/// <param name="Observations">"drift", "cleared": the values the judgment read; its scores where scores is null (decisions stored before it).</param>
/// <param name="OnlineMase">"drift", "cleared": the online MASE over those values' scores.</param>
/// <param name="BacktestMase">"drift", "cleared": the version's backtest MASE.</param>
/// <param name="JobId">"retrain", "challenge", "trial": the challenger's training job; null when no challenger was queued.</param>
/// <param name="Alias">The alias the streams were opened through, which a winning challenger takes; null when they named a version.</param>
/// <param name="Streams">"retrain": the ids of the streams whose recent values the challenger trains and is compared on.</param>
/// <param name="Champion">"retrain", "challenge", "trial": the drifting version.</param>
/// <param name="Challenger">"challenge", "trial": the challenger's version number.</param>
/// <param name="ChampionMae">"challenge", "trial": the champion's MAE on the values held out of the challenger's training.</param>
/// <param name="ChallengerMae">"challenge", "trial": the challenger's MAE on the same values.</param>
/// <param name="ComparedValues">"challenge", "trial": the forecast values the two MAEs average.</param>
/// <param name="AliasMoved">"challenge", "trial": whether the alias moved to the challenger.</param>
/// <param name="Won">"challenge", "trial": whether the challenger was Monitoring:ChallengerMargin better; null in decisions stored before it.</param>
/// <param name="Scores">"drift", "cleared": the scores the judgment read (each value's, at every step it was forecast at); null in decisions stored before it.</param>
public sealed record DecisionResponse(string Kind, int Episode, DateTimeOffset At, string Summary, double? Ratio, int? Observations, double? OnlineMase,
    double? BacktestMase, Guid? JobId, string? Alias, IReadOnlyList<string>? Streams, int? Champion, int? Challenger, double? ChampionMae,
    double? ChallengerMae, int? ComparedValues, bool? AliasMoved, bool? Won, int? Scores = null)
{
    public static DecisionResponse From(VersionDecision d) => new(d.Kind, d.Episode, d.At, d.Summary, d.Ratio, d.Observations, d.OnlineMase, d.BacktestMase,
        d.JobId, d.Alias, d.Streams, d.Champion, d.Challenger, d.ChampionMae, d.ChallengerMae, d.ComparedValues, d.AliasMoved, d.Won, d.Scores);
}
