namespace LstmService.Forecasting.Models;

/// <summary>What a trained model answers: forecasts of series, or class probabilities of sequences.</summary>
public enum ModelTask
{
    Forecasting,
    Classification,
}
