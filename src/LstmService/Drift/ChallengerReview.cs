using System.Globalization;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.Extensions.Options;

namespace LstmService.Drift;

/// <summary>
/// When the job a drift queued has stored its version (the challenger): scores champion and challenger on the values held
/// out of the challenger's training (<see cref="RecentError"/>), records both errors on both versions, and moves the alias
/// the streams were opened through to the challenger only when its error is lower by Monitoring:ChallengerMargin and the
/// alias still points to the champion. The comparison is recorded once per drift episode of the champion (a unique decision),
/// so a job run twice decides once; the challenger's copy is a "trial", so a winner that later drifts and is challenged in
/// turn can record its own "challenge". A challenger that loses clears its episode, so a drift that goes on may queue another.
/// </summary>
public sealed class ChallengerReview(VersionEventStore events, DriftMonitor drift, ModelRegistry registry, IOptions<DriftOptions> options,
    TimeProvider time, ILogger<ChallengerReview> logger)
    : ITrainedVersionObserver
{
    public void Trained(Guid job, VersionRecord challenger)
    {
        if (events.FindRetrain(challenger.Model, job) is not { } found) return;
        var (championNumber, retrain) = found;
        var series = retrain.Recent ?? [];
        int holdout = retrain.Holdout ?? 0;
        var champion = registry.GetVersion(challenger.Model, championNumber);
        var now = time.GetUtcNow();
        VersionDecision decision;
        if (champion is null || registry.GetForecaster(champion).Model is not { } championModel || registry.GetForecaster(challenger).Model is not { } challengerModel)
            decision = new VersionDecision
            {
                Kind = "challenge", Episode = retrain.Episode, At = now, Champion = championNumber, Challenger = challenger.Version, Alias = retrain.Alias, AliasMoved = false, Won = false,
                Summary = $"Version {championNumber} or {challenger.Version} could not be loaded: nothing compared, no alias moved.",
            };
        else
        {
            var (championMae, compared) = RecentError.Of(championModel, series, holdout, retrain.SeriesIds);
            var (challengerMae, _) = RecentError.Of(challengerModel, series, holdout, retrain.SeriesIds);
            double margin = options.Value.ChallengerMargin;
            bool wins = challengerMae < (1 - margin) * championMae;
            string? alias = retrain.Alias;
            bool move = wins && alias is not null && registry.ListAliases(challenger.Model).Any(a => a.Alias == alias && a.Version == championNumber);
            decision = new VersionDecision
            {
                Kind = "challenge", Episode = retrain.Episode, At = now, Champion = championNumber, Challenger = challenger.Version, ChampionMae = championMae, ChallengerMae = challengerMae,
                ComparedValues = compared, Alias = alias, AliasMoved = move, Won = wins, JobId = job,
                Summary = string.Create(CultureInfo.InvariantCulture, $"On the last {holdout} recent values of each stream ({compared} forecast values): champion {championNumber} MAE {SummaryNumber.Of(championMae)}, challenger {challenger.Version} MAE {SummaryNumber.Of(challengerMae)}. ")
                    + (!wins ? string.Create(CultureInfo.InvariantCulture, $"The challenger lost (it needs an MAE at least {margin * 100:G3}% below the champion's): no alias moved.")
                        : alias is null ? "The challenger won; the streams were opened on a version number, so no alias moved."
                        : move ? $"The challenger won: alias '{alias}' moved from {championNumber} to {challenger.Version}."
                        : $"The challenger won, but alias '{alias}' no longer points to {championNumber}: left as it is."),
            };
        }
        // The champion's record decides (once); the alias moves only after it, so a second run of the review moves nothing.
        if (!events.TryAdd(challenger.Model, championNumber, decision)) return;
        if (decision.AliasMoved == true) registry.SetAlias(challenger.Model, decision.Alias!, challenger.Version);
        events.TryAdd(challenger.Model, challenger.Version, decision with { Kind = "trial", Episode = 1 });
        if (decision.Won != true)
            drift.ClearUncompared(challenger.Model, championNumber, retrain.Episode, now, "The challenger lost",
                ", and a drift may queue another challenger (Monitoring:MaxChallengers).");
        // A winner joins the model's default version (UnprovenChallengers held it out until now).
        if (decision.Won == true) registry.DefaultsChanged();
        logger.LogInformation("Challenger {Challenger} of model {Model} reviewed against {Champion}: {Summary}", challenger.Version, challenger.Model, championNumber, decision.Summary);
    }
}
