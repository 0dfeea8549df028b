namespace LstmService.Forecasting.Statistics;

/// <summary>
/// A run a <see cref="LevelShiftWatch"/> reports: the index of its change's first value (<see cref="LevelShiftSide.Onset"/>),
/// the sum of its errors from there and the largest of them
/// (signed as the run: negative for a run below) with its index, the error of the value that completed it, and the
/// typical error when it was reported.
/// </summary>
internal readonly record struct LevelShiftRun(int Start, double Errors, double Peak, int PeakAt, double Last, double Unit);
