namespace LstmService.Registry;

/// <summary>Loss per epoch, index 0 = epoch 1; null where a loss was not finite.</summary>
public sealed record LossCurve(IReadOnlyList<double?> Train, IReadOnlyList<double?> Validation);
