namespace LstmService.Forecasting.Evaluation;

/// <summary>Accuracy of one forecaster: RMSE, MAE, MASE (scaled by the in-sample naive error) and sMAPE (percent).</summary>
public sealed record AccuracyMetrics(double Rmse, double Mae, double Mase, double Smape, int Points);
