namespace LstmService.Forecasting.Models;

/// <summary>A trained model as a cache holds it: whatever its task, it says how much memory serving it takes.</summary>
public interface IServedModel
{
    /// <summary>Bytes the model holds while it serves requests (an upper bound for budgeting, not a measurement).</summary>
    long EstimatedBytes { get; }
}
