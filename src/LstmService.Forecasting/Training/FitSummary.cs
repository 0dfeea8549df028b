namespace LstmService.Forecasting.Training;

/// <summary>How a phase of training went.</summary>
internal sealed record FitSummary(List<double> TrainLosses, List<double> ValidationLosses, List<float> LearningRates, int BestEpoch);
