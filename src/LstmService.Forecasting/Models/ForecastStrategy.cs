namespace LstmService.Forecasting.Models;

/// <summary>How a model produces its multi-step forecast.</summary>
public enum ForecastStrategy
{
    /// <summary>A direct multi-output head: all <c>horizon</c> steps in one pass (the default).</summary>
    Direct = 0,
    /// <summary>One step ahead, fed back as the next input <c>horizon</c> times.</summary>
    Recursive = 1,
}
