using System.Text.Json;
using LstmService.Forecasting.Models;
using LstmService.Infrastructure;
using LstmService.Kernels;
using LstmService.Training;

namespace LstmService.Models;

/// <summary>
/// Measures the network a state_dict declares from its "shape" arrays alone and holds it to the limits of training jobs
/// (at most <see cref="NetworkSize.MaxWidth"/> units per layer, <see cref="TrainingRequestValidator.MaxLayers"/> layers, the
/// parameter budget), before the kernel allocates a network from those shapes: a 1 KB document must not cost gigabytes.
/// </summary>
public static class StateDictLimits
{
    // weight_ih and weight_hh have 4H rows (an LSTM's; a GRU's 3H).
    private const long MaxDimension = 4L * NetworkSize.MaxWidth;

    public static void Check(JsonElement stateDict, TrainingQueueOptions limits, ValidationErrors errors)
    {
        if (stateDict.TryGetProperty(ForecastModel.StateForecastKey, out var settings)) CheckSettings(settings, errors);
        var shapesValid = true;
        foreach (var tensor in stateDict.EnumerateObject())
            if (tensor.Name != ForecastModel.StateForecastKey) shapesValid &= CheckTensor(tensor, errors);
        if (!shapesValid) return; // one message per bad shape is enough

        // The cell the tensors' names say (lstm.* or gru.*); a document holding both is the kernel's to refuse.
        RecurrentCell cell;
        try { cell = ModelSerializer.StateDictCell(stateDict); }
        catch (InvalidDataException) { return; }
        var names = new RecurrentConfig(cell, 1, 1);
        var prefix = RecurrentConfig.Name(cell);
        var layers = 0;
        while (layers <= TrainingRequestValidator.MaxLayers && stateDict.TryGetProperty(names.WeightIh(layers), out _)) layers++;
        if (layers > TrainingRequestValidator.MaxLayers)
        {
            errors.Add($"stateDict.{names.WeightIh(layers - 1)}", $"At most {TrainingRequestValidator.MaxLayers} layers ({prefix}.*_l0 to {prefix}.*_l{TrainingRequestValidator.MaxLayers - 1}).");
            return;
        }

        // The sizes the kernel builds the network from; a missing or malformed one is the kernel's to name.
        var hiddenField = $"stateDict.{names.WeightHh(0)}.shape";
        if (layers == 0 || Dimension(stateDict, names.WeightHh(0), 1) is not { } hidden
            || Dimension(stateDict, names.WeightIh(0), 1) is not { } input
            || Dimension(stateDict, ParameterLayout.HeadWeight, 0) is not { } outputs)
            return;
        var fits = true;
        foreach (var (field, size, what) in new[]
        {
            (hiddenField, hidden, "hidden units (hiddenSize x ensemble of a training job)"),
            ($"stateDict.{names.WeightIh(0)}.shape", input, "input features"),
            ($"stateDict.{ParameterLayout.HeadWeight}.shape", outputs, "outputs"),
        })
        {
            if (size <= NetworkSize.MaxWidth) continue;
            errors.Add(field, $"Declares {size} {what}; at most {NetworkSize.MaxWidth}.");
            fits = false;
        }
        if (!fits) return;

        var peepholes = cell == RecurrentCell.Lstm && stateDict.TryGetProperty(ParameterLayout.Peephole(0), out _);
        var parameters = NetworkSize.Parameters((int)input, (int)hidden, layers, (int)outputs, peepholes, cell);
        NetworkSize.CheckBudget(parameters, limits.MaxNetworkParameters, hiddenField,
            $"The declared network ({layers} layer(s) of {hidden} units, {input} inputs, {outputs} outputs)", errors);
    }

    /// <summary>
    /// The "_forecast" settings' sizes, held to a training request's ranges before anything is built from them (an
    /// inputWindow of two billion sized the highway's map at 6.8 GB), each named by its field; their form is the kernel's to check.
    /// </summary>
    private static void CheckSettings(JsonElement settings, ValidationErrors errors)
    {
        if (settings.ValueKind != JsonValueKind.Object) return;
        foreach (var (name, min, max) in new (string, long, long)[]
        {
            ("inputWindow", 1, TrainingRequestValidator.MaxInputWindow), ("horizon", 1, TrainingRequestValidator.MaxHorizon),
            ("ensemble", 1, NetworkSize.MaxWidth), ("seasonLength", 0, TrainingRequestValidator.MaxInputWindow),
        })
            if (settings.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && (!v.TryGetInt64(out var n) || n < min || n > max))
                errors.Add($"stateDict.{ForecastModel.StateForecastKey}.{name}", $"Must be a whole number in {min}..{max}; got {v.GetRawText()}.");
        if (settings.TryGetProperty("quantiles", out var q) && q.ValueKind == JsonValueKind.Array)
            foreach (var level in q.EnumerateArray())
                if (level.ValueKind == JsonValueKind.Number && !(level.GetDouble() is > 0 and < 1))
                    errors.Add($"stateDict.{ForecastModel.StateForecastKey}.quantiles", $"Levels lie strictly between 0 and 1; got {level.GetRawText()}.");
    }

    /// <summary>
    /// A tensor's shape: one or two whole sizes in range, agreeing with its data's length (product in checked 64-bit
    /// arithmetic). False when the shape itself is bad.
    /// </summary>
    private static bool CheckTensor(JsonProperty tensor, ValidationErrors errors)
    {
        if (tensor.Value.ValueKind != JsonValueKind.Object || !tensor.Value.TryGetProperty("shape", out var shape)) return true; // the kernel names it
        var field = $"stateDict.{tensor.Name}.shape";
        if (shape.ValueKind != JsonValueKind.Array || shape.GetArrayLength() is < 1 or > 2)
        {
            errors.Add(field, "Must be an array of one or two sizes.");
            return false;
        }
        long count = 1;
        foreach (var size in shape.EnumerateArray())
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var n) || n is < 1 or > MaxDimension)
            {
                errors.Add(field, $"Sizes must be whole numbers in 1..{MaxDimension}.");
                return false;
            }
            count = checked(count * n);
        }
        // Flat, or one array per row (PyTorch's tensor.tolist()); the kernel checks each row's length.
        if (tensor.Value.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            && !(shape.GetArrayLength() == 2 && data.GetArrayLength() > 0 && data[0].ValueKind == JsonValueKind.Array) && data.GetArrayLength() != count)
            errors.Add($"stateDict.{tensor.Name}.data", $"Holds {data.GetArrayLength()} values; its shape declares {count}.");
        return true;
    }

    /// <summary>The declared size at <paramref name="axis"/> of a two-dimensional tensor, or null when it is not there as a whole number.</summary>
    private static long? Dimension(JsonElement stateDict, string name, int axis) =>
        stateDict.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.Object && t.TryGetProperty("shape", out var s)
            && s.ValueKind == JsonValueKind.Array && s.GetArrayLength() == 2 && s[axis].TryGetInt64(out var n) && n >= 1
            ? n : null;
}
