namespace LstmService.Forecasting.Series;

/// <summary>
/// What a series id may be (1 to <see cref="MaxLength"/> characters, no control characters): the service holds training
/// requests, forecasts and streams to it, and an imported model's per-series entries too, since no request could name one
/// that breaks it.
/// </summary>
public static class SeriesIdRule
{
    public const int MaxLength = 200;

    /// <summary>Characters are counted as Unicode scalars, as a reader counts them: 150 emoji are 300 UTF-16 units and had been refused.</summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 2 * MaxLength && id.EnumerateRunes().Count() <= MaxLength && !id.Any(char.IsControl);
}
