using LstmService.Forecasting.Models;

namespace LstmService.Drift;

/// <summary>
/// A version's error on the last values of recent series: forecasts from rolling origins every horizon steps over those
/// values, each from the values before its origin, averaged absolute error over every observed value forecast. Champion
/// and challenger are scored by the same call on the same data, each series under its stream's series id as the stream
/// forecasts it (a model of several series mixes and widens a series it trained on by its own weights and scales).
/// </summary>
public static class RecentError
{
    /// <summary>
    /// The mean absolute error and the values it averages; null MAE when no origin has enough history before it. Each series
    /// is forecast under its entry in <c>seriesIds</c> (none where the list is null or does not reach it).
    /// </summary>
    public static (double? Mae, int Values) Of(ForecastModel model, IReadOnlyList<double?[]> series, int holdout, IReadOnlyList<string?>? seriesIds = null)
    {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < series.Count; i++)
        {
            var values = series[i].Select(x => x is { } v ? (float)v : float.NaN).ToArray();
            string? id = seriesIds is not null && i < seriesIds.Count ? seriesIds[i] : null;
            for (int origin = Math.Max(values.Length - holdout, model.MinimumHistory); origin < values.Length; origin += model.Horizon)
            {
                var state = model.NewState(values[..origin], seriesId: id);
                if (model.ForecastProblem(state) is not null) continue;
                var mean = model.Forecast(state, seriesId: id).Mean;
                for (int j = 0; j < mean.Length && origin + j < values.Length; j++)
                    if (!float.IsNaN(values[origin + j])) { sum += Math.Abs(values[origin + j] - mean[j]); count++; }
            }
        }
        return (count > 0 ? sum / count : null, count);
    }
}
