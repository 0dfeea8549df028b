using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Tests;

/// <summary>The classical members' forecasts of a history made at once and by a stream fed the same values, which must agree bit for bit.</summary>
internal static class MemberForecastPair
{
    public static (double[] Whole, double[] Streamed) Of(StatisticalEnsemble ensemble, double[] history, int steps)
    {
        var whole = new double[StatisticalEnsemble.MemberCount * steps];
        ensemble.Forecast(history, steps, whole);
        var stream = StatisticalState.Create(ensemble);
        var streamed = new double[whole.Length];
        foreach (var y in history) stream.Add(ensemble, y);
        stream.Forecast(ensemble, steps, streamed);
        return (whole, streamed);
    }
}
