namespace LstmService.Forecasting.Models;

/// <summary>A trained model as the registry stores and caches it: whatever its task, it writes its weights file and says how much memory serving it takes.</summary>
public interface IServedModel
{
    /// <summary>Writes the model's weights file (the kernels' binary format with the model's settings in its header).</summary>
    void Save(Stream stream);

    /// <summary>Bytes the model holds while it serves requests (an upper bound for budgeting, not a measurement).</summary>
    long EstimatedBytes { get; }
}
