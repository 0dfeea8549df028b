using LstmService.Forecasting.Evaluation;

namespace LstmService.Registry;

/// <summary>RMSE, MAE, MASE, sMAPE (percent) over <paramref name="Points"/> forecast points; null where undefined.</summary>
public sealed record AccuracyInfo(double? Rmse, double? Mae, double? Mase, double? Smape, int Points)
{
    public static AccuracyInfo Of(AccuracyMetrics m) =>
        new(Finite.OrNull(m.Rmse), Finite.OrNull(m.Mae), Finite.OrNull(m.Mase), Finite.OrNull(m.Smape), m.Points);
}
