namespace LstmService.Forecasting.Training;

/// <summary>How a phase of training went; <paramref name="KeptValidationLoss"/> is the kept epoch's loss over every validation window.</summary>
internal sealed record FitSummary(List<double> TrainLosses, List<double> ValidationLosses, List<float> LearningRates, int BestEpoch, double KeptValidationLoss);
