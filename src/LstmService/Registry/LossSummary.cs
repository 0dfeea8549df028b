namespace LstmService.Registry;

/// <summary>Loss curve summary; null where a loss was not finite (for example no validation part).</summary>
public sealed record LossSummary(double? InitialTrainLoss, double? FinalTrainLoss, double? TrainLossAtBestEpoch, double? BestValidationLoss, double? FinalValidationLoss);
