using LstmService.Infrastructure;
using LstmService.Kernels;

namespace LstmService.Training;

/// <summary>
/// The network a training job or a registered state_dict asks for, measured from its declared shape (checked 64-bit
/// arithmetic) and held to one budget, <see cref="TrainingQueueOptions.MaxNetworkParameters"/>, before anything is allocated.
/// </summary>
public static class NetworkSize
{
    /// <summary>The widest input, hidden layer (hiddenSize x ensemble, as merged) or head the kernels take.</summary>
    public const int MaxWidth = LstmConfig.MaxWidth;

    /// <summary>Parameters of the network of this shape (an LSTM unless <paramref name="cell"/> says GRU, which has 3/4 of its gate weights).</summary>
    public static long Parameters(int input, int hidden, int layers, int outputs, bool peepholes, RecurrentCell cell = RecurrentCell.Lstm) =>
        new RecurrentConfig(cell, input, hidden, layers, outputs, cell == RecurrentCell.Lstm && peepholes).ParameterCount();

    /// <summary>Adds an error under <paramref name="field"/> when the network exceeds the budget; true when it fits.</summary>
    public static bool CheckBudget(long parameters, long budget, string field, string shape, ValidationErrors errors)
    {
        if (parameters <= budget) return true;
        errors.Add(field, $"{shape} has {parameters:N0} parameters; the limit is {budget:N0} (TrainingQueue:MaxNetworkParameters).");
        return false;
    }
}
