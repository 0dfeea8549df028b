namespace LstmService.Forecasting.Models;

/// <summary>One series' forecast, on the series' own scale.</summary>
/// <param name="ClampedAtZero">
/// Whether its values were clamped at zero: a non-negative model's forecast of a history without negative values. A
/// history with negative values is outside what such a model was trained on, and zeros would hide that.
/// </param>
/// <param name="LevelChanges">The changes of level the forecast read in the history, oldest first (null: none).</param>
public sealed record SeriesForecast(float[] Mean, IReadOnlyDictionary<float, float[]> Quantiles, bool ClampedAtZero = false, IReadOnlyList<LevelChange>? LevelChanges = null);
