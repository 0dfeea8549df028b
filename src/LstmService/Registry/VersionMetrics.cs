using LstmService.Forecasting.Evaluation;

namespace LstmService.Registry;

/// <summary>How well training went and how the model compares with naive baselines on the validation part.</summary>
/// <param name="EpochsRun">Epochs actually run (early stopping may end sooner).</param>
/// <param name="BestEpoch">Epoch whose weights were kept.</param>
/// <param name="Loss">Summary of the loss curve.</param>
/// <param name="Backtest">Rolling-origin accuracy on the validation part, model and naive / seasonal-naive baselines side by side, and interval coverage.</param>
/// <param name="Series">Series trained on.</param>
/// <param name="Points">Values in all series; a forecaster's each from its first observed value to its last (the leading and trailing missing values no part of training reads are left out; versions stored before 2026-12-07 counted them).</param>
/// <param name="MissingValues">Values that were missing (null).</param>
/// <param name="LossCurve">Loss per epoch (index 0 = epoch 1); null for versions stored before it was kept here.</param>
/// <param name="Search">With search: every candidate tried, its validation MASE and its network's best validation loss, and which was chosen; null otherwise.</param>
/// <param name="Classification">A classifier's accuracy, macro-F1 and confusion matrix; null for a forecaster.</param>
public sealed record VersionMetrics(
    int EpochsRun,
    int BestEpoch,
    LossSummary Loss,
    BacktestSummary? Backtest,
    int Series,
    long Points,
    int MissingValues,
    LossCurve? LossCurve = null,
    IReadOnlyList<SearchCandidateInfo>? Search = null,
    ClassificationInfo? Classification = null);
