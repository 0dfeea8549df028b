namespace LstmService.Forecasting.Training;

/// <summary>Reported after every epoch.</summary>
public readonly record struct EpochProgress(int Epoch, int Epochs, double TrainLoss, double ValidationLoss);
