using LstmService.Registry;

namespace LstmService.Models;

/// <summary>Forecast accuracy over <paramref name="Points"/> forecast points; null where undefined.</summary>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Mase">Mean absolute scaled error (MAE over the in-sample seasonal-naive MAE).</param>
/// <param name="Smape">Symmetric mean absolute percentage error, in percent.</param>
/// <param name="Points">Forecast points scored.</param>
public sealed record AccuracyResponse(double? Rmse, double? Mae, double? Mase, double? Smape, int Points)
{
    public static AccuracyResponse From(AccuracyInfo a) => new(a.Rmse, a.Mae, a.Mase, a.Smape, a.Points);
}
