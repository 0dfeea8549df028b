using System.ComponentModel.DataAnnotations;

namespace LstmService.Drift;

/// <summary>The drift rule and the champion/challenger retraining. Section "Monitoring".</summary>
public sealed class DriftOptions
{
    public const string Section = "Monitoring";

    /// <summary>A version drifts when its online MASE exceeds its backtest MASE by this factor.</summary>
    [Range(1.0, 1000.0)]
    public double DriftFactor { get; set; } = 1.5;

    /// <summary>
    /// Values the online MASE of the rule is computed over, the most recent, each with every score it got (one per forecast that
    /// covered it, up to the horizon's): the rule reads that many horizons of scores and flags nothing before it has them.
    /// </summary>
    [Range(1, 1_000_000)]
    public int DriftObservations { get; set; } = 20;

    /// <summary>On a flag, queue a warm start of the drifting version on its streams' recent values (a challenger) and move the alias when it wins.</summary>
    public bool AutoRetrain { get; set; }

    /// <summary>
    /// Challengers one version's drifts may queue in all: a drift whose challenger lost is judged again on later values and
    /// may queue another, up to this many; past it a drift is flagged without one (and clears only when the version is back within the factor).
    /// </summary>
    [Range(1, 1000)]
    public int MaxChallengers { get; set; } = 3;

    /// <summary>Epochs of the challenger's warm start.</summary>
    [Range(1, 100_000)]
    public int RetrainEpochs { get; set; } = 20;

    /// <summary>
    /// Values at the end of each stream's recent history kept out of the challenger's training: champion and challenger are
    /// both scored on them (forecasts from rolling origins), so neither has seen them.
    /// </summary>
    [Range(1, 100_000)]
    public int ComparisonValues { get; set; } = 24;

    /// <summary>How much lower the challenger's error must be to win (0.05: at least 5% below the champion's), so a difference of noise moves nothing.</summary>
    [Range(0.0, 0.99)]
    public double ChallengerMargin { get; set; } = 0.05;
}
