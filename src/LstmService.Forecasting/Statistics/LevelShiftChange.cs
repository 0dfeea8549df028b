namespace LstmService.Forecasting.Statistics;

/// <summary>
/// A change of level a <see cref="LevelShiftWatch"/> read: the index of the first value at the new level and the shift the
/// members read the values before it by (on the model's transformed scale). Plain data, kept in a stream's state.
/// </summary>
public sealed record LevelShiftChange(int Start, double Shift);
