using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

// Which setting of a state_dict document disagrees with the network its tensors describe.
public sealed partial class ForecastModel
{
    /// <summary>
    /// The error of a network whose input or head does not fit the forecast settings, filed under the setting at fault: the
    /// covariates set the input features per step, the horizon and quantiles the head's outputs (HeadSteps x (1 + Q)).
    /// </summary>
    static InvalidDataException NetworkMisfit(RecurrentConfig config, int steps, int quantileCount, ForecastStrategy strategy, StoredSettings? stored)
    {
        int headSteps = strategy == ForecastStrategy.Recursive ? 1 : steps;
        return config.OutputSize == headSteps * (1 + quantileCount)
            ? InputMisfit(config, stored)
            : HeadMisfit(config.OutputSize, steps, quantileCount, strategy, stored);
    }

    /// <summary>The network reads another number of input features per step than the covariates give it.</summary>
    static InvalidDataException InputMisfit(RecurrentConfig config, StoredSettings? stored)
    {
        var tensor = config.WeightIh(0);
        var covariates = stored?.Covariates ?? [];
        var future = (stored?.FutureCovariates ?? []).Where(f => covariates.Contains(f, StringComparer.Ordinal)).ToArray();
        int features = 1 + covariates.Length + (future.Length > 0 ? 1 : 0);
        if (covariates.Length == 0)
            return StateDictErrors.At($"{tensor}.shape", $"Tensor '{tensor}' takes {config.InputSize} input features per step, but a forecast network without covariates " +
                $"takes 1 (the target): list the covariates it was trained with under {StateForecastKey}.covariates.");
        // One feature apart, with as many covariates as the network reads: the known-in-advance flag is what is missing or extra.
        if (future.Length > 0 && config.InputSize == features - 1)
            return StateDictErrors.At($"{StateForecastKey}.futureCovariates", $"With covariates known in advance ({string.Join(", ", future)}) the network reads " +
                $"{features} input features per step (the target, each covariate and the known-in-advance flag), but tensor '{tensor}' takes {config.InputSize}, " +
                "as a network without covariates known in advance does.");
        if (future.Length == 0 && config.InputSize == features + 1)
            return StateDictErrors.At($"{StateForecastKey}.futureCovariates", $"Without covariates known in advance the network reads {features} input features per step " +
                $"(the target and each covariate), but tensor '{tensor}' takes {config.InputSize}, one more, as a network reading covariates known in advance does: " +
                $"list them under {StateForecastKey}.futureCovariates.");
        return StateDictErrors.At($"{StateForecastKey}.covariates", $"{StateForecastKey}.covariates lists {covariates.Length} covariate(s) ({string.Join(", ", covariates)}), " +
            $"so the network would read {features} input features per step (the target{(future.Length > 0 ? ", each covariate and the known-in-advance flag" : " and each covariate")}), " +
            $"but tensor '{tensor}' takes {config.InputSize}: list the covariates the network was trained with.");
    }

    /// <summary>
    /// The head holds another number of outputs than HeadSteps x (1 + Q). The quantiles are at fault when the outputs
    /// hold whole horizons (a head of 1 output given [0.5]; 3 outputs for horizon 3 given two levels); a recursive model's
    /// horizon sets no output, so there its quantiles or its strategy are; otherwise the horizon is.
    /// </summary>
    static InvalidDataException HeadMisfit(int outputs, int steps, int quantileCount, ForecastStrategy strategy, StoredSettings? stored)
    {
        int blocks = 1 + quantileCount;
        if (strategy == ForecastStrategy.Recursive)
            return outputs == steps * blocks
                ? SettingError("strategy", stored, $"A recursive model's head has 1 + Q = {blocks} outputs, but {ParameterLayout.HeadWeight} has {outputs}, as a direct model's of horizon {steps} does.")
                : QuantileMisfit(outputs, 1, quantileCount, stored);
        // Whole horizons: the head fits the horizon given with another number of quantiles, which are the likelier mistake
        // (an export's quantiles left out or given differently); when it also fits another horizon with these quantiles
        // (3 outputs: horizon 3 without quantiles, or horizon 1 with two), the message says so.
        if (outputs % steps == 0)
            return QuantileMisfit(outputs, steps, quantileCount, stored, outputs % blocks == 0 ? outputs / blocks : null);
        return SettingError("horizon", stored, $"Horizon {steps} with {quantileCount} quantile level(s) needs a head of {steps} x (1 + {quantileCount}) = {steps * blocks} outputs, " +
            $"but {ParameterLayout.HeadWeight} has {outputs}.");
    }

    static InvalidDataException QuantileMisfit(int outputs, int headSteps, int quantileCount, StoredSettings? stored, int? otherHorizon = null)
    {
        var fits = outputs % headSteps == 0 ? $", which fits {outputs / headSteps - 1} quantile level(s)" : "";
        if (otherHorizon is { } other) fits += $" (or horizon {other} with these {quantileCount})";
        return SettingError("quantiles", stored, $"{quantileCount} quantile level(s) need a head of {headSteps} x (1 + {quantileCount}) = {headSteps * (1 + quantileCount)} outputs, " +
            $"but {ParameterLayout.HeadWeight} has {outputs}{fits}.");
    }
}
