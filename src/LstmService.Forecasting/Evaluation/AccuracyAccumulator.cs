namespace LstmService.Forecasting.Evaluation;

/// <summary>Accumulates RMSE, MAE, MASE and sMAPE over forecast points.</summary>
public sealed class AccuracyAccumulator
{
    double _sq, _abs, _scaled, _smape;
    int _n, _smapeN;

    /// <summary>Adds one point; <paramref name="naiveScale"/> is the series' in-sample naive MAE.</summary>
    public void Add(double actual, double forecast, double naiveScale)
    {
        double e = forecast - actual;
        _sq += e * e; _abs += Math.Abs(e); _scaled += Math.Abs(e) / naiveScale; _n++;
        double denominator = Math.Abs(actual) + Math.Abs(forecast);
        if (denominator > 0) { _smape += 2 * Math.Abs(e) / denominator; _smapeN++; }
    }

    public AccuracyMetrics Result() => _n == 0
        ? new AccuracyMetrics(double.NaN, double.NaN, double.NaN, double.NaN, 0)
        : new AccuracyMetrics(Math.Sqrt(_sq / _n), _abs / _n, _scaled / _n, _smapeN > 0 ? 100 * _smape / _smapeN : 0, _n);
}
