using LstmService.Registry;

namespace LstmService.Training;

/// <summary>Loss per epoch, index 0 = epoch 1; null where a loss was not finite.</summary>
/// <param name="Train">Training loss per epoch.</param>
/// <param name="Validation">Validation loss per epoch (null entries without a validation part).</param>
public sealed record LossCurveResponse(IReadOnlyList<double?> Train, IReadOnlyList<double?> Validation)
{
    public static LossCurveResponse? From(LossCurve? curve) => curve is null ? null : new(curve.Train, curve.Validation);
}
