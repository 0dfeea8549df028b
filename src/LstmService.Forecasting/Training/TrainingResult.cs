using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;

namespace LstmService.Forecasting.Training;

/// <summary>What one training run produced.</summary>
/// <param name="Model">The trained model (best validation epoch's weights).</param>
/// <param name="EpochsRun">Epochs actually run (early stopping may end before TrainingOptions.Epochs).</param>
/// <param name="BestEpoch">1-based epoch whose weights were kept.</param>
/// <param name="TrainLosses">Training loss per epoch.</param>
/// <param name="ValidationLosses">Validation loss per epoch (NaN when there is no validation part); beyond
/// <see cref="LockstepRun.ValidationStepBudget"/> over evenly spaced validation windows.</param>
/// <param name="MissingValues">Missing (NaN) values seen in the training series.</param>
/// <param name="Metrics">Backtest metrics on the validation part (from the model that held it out), model and baselines side by side.</param>
/// <param name="Search">With <see cref="TrainingOptions.Search"/>: every candidate tried, its validation MASE and its network's best validation loss; null otherwise.</param>
/// <param name="KeptValidationLoss">The kept epoch's validation loss over every validation window (NaN without validation
/// windows or a kept epoch): what a search compares, whatever the thinning of the per-epoch losses.</param>
/// <param name="SeriesIntervalScales">For a model of several series, each series' interval scales by its index
/// (<see cref="LstmService.Forecasting.Training.SeriesIntervalScales"/>; null for a series too short); the model keeps those of series with ids.</param>
/// <param name="SeriesMixWeights">For a model of several series, each series' own mixing weights by its index
/// (<see cref="MixWeights.PerSeries"/>; null for a series too short); the model keeps those of series with ids.</param>
public sealed record TrainingResult(
    ForecastModel Model,
    int EpochsRun,
    int BestEpoch,
    IReadOnlyList<double> TrainLosses,
    IReadOnlyList<double> ValidationLosses,
    int MissingValues,
    BacktestMetrics Metrics,
    IReadOnlyList<SearchCandidate>? Search = null,
    double KeptValidationLoss = double.NaN,
    IReadOnlyList<float[]?>? SeriesIntervalScales = null,
    IReadOnlyList<float[]?>? SeriesMixWeights = null);
