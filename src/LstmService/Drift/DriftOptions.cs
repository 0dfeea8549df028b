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
    /// Values the rule's online MASE is computed over: the newest DriftObservations x horizon scores, that many values appended
    /// one at a time, each at every step it was forecast at (a batch append's fewer times, so the window reaches further
    /// back); no flag before there are this many.
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

    /// <summary>Epochs of the challenger's warm start; with AutoRetrain, at most TrainingQueue:MaxEpochs (DriftOptionsValidator).</summary>
    [Range(1, 100_000)]
    public int RetrainEpochs { get; set; } = 20;

    /// <summary>
    /// Values at the end of each stream's recent history kept out of the challenger's training: champion and challenger are
    /// both scored on them (forecasts from rolling origins), so neither has seen them. With AutoRetrain, below
    /// Streams:RecentValues (DriftOptionsValidator).
    /// </summary>
    [Range(1, 100_000)]
    public int ComparisonValues { get; set; } = 24;

    /// <summary>How much lower the challenger's error must be to win (0.05: at least 5% below the champion's), so a difference of noise moves nothing.</summary>
    [Range(0.0, 0.99)]
    public double ChallengerMargin { get; set; } = 0.05;
}
