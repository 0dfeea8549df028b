namespace LstmService.Registry;

/// <summary>JSON has no NaN or Infinity: such values leave the service as null.</summary>
public static class Finite
{
    public static double? OrNull(double value) => double.IsFinite(value) ? value : null;
}
