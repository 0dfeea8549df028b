namespace LstmService.Forecasting.Models;

/// <summary>
/// A change of level a forecast read in its history (<see cref="Statistics.LevelShiftWatch"/>): the classical members, the
/// network and the highway read the values before it at the new level.
/// </summary>
/// <param name="Index">The first value at the new level, counted from the history's first (leading missing values included).</param>
/// <param name="Shift">The change on the series' scale: a difference, or where the version works on the log scale a ratio (<paramref name="Relative"/>).</param>
/// <param name="Relative">Whether <paramref name="Shift"/> is a ratio (new level over old).</param>
public sealed record LevelChange(int Index, double Shift, bool Relative);
