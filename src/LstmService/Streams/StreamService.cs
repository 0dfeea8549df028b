using System.Globalization;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Streaming;
using LstmService.Infrastructure;
using Microsoft.Extensions.Options;

namespace LstmService.Streams;

/// <summary>
/// A stream's document moved forward: the forecast from a state (with its anomaly interval, kept to score the values it
/// forecasts), and an append (each value scored against the forecasts made for it, flagged when outside the anomaly
/// interval, then added to the state; one forecast at the end). Storage and HTTP stay with the store and the handlers.
/// </summary>
public sealed class StreamService(IOptions<StreamOptions> options)
{
    /// <summary>
    /// The document after forecasting from <paramref name="state"/>; <paramref name="issued"/> keeps the forecasts not yet
    /// fully scored. <paramref name="seriesId"/> is the stream's: a version of several series widens or narrows the intervals
    /// of the one it names as that series' own residuals showed (<see cref="ForecastModel.SeriesIntervalScales"/>).
    /// </summary>
    public StreamDocument Forecast(ForecastModel model, SeriesState state, double naiveScale, Dictionary<string, float[]>? future,
        List<IssuedForecast> issued, List<float?> lastValues, string seriesId)
    {
        var forecast = model.Forecast(state, future, seriesId: seriesId);
        if (!forecast.Mean.All(float.IsFinite) || !forecast.Quantiles.Values.All(b => b.All(float.IsFinite)))
            // Worded as a one-off forecast's overflow: "the state forecasts non-finite values" named the service's internals (a QA pass).
            throw new ArgumentException("Its forecast overflows 32-bit floats (NaN or Infinity): the values are too far out of the scale the version was trained on.", "state");
        var interval = AnomalyInterval.Of(model, forecast, (float)options.Value.AnomalyLow, (float)options.Value.AnomalyHigh);
        var pairs = Forecasting.Evaluation.Backtest.IntervalPairs(model.Quantiles);
        var bands = pairs.SelectMany(p => new[] { forecast.Quantiles[p.Low], forecast.Quantiles[p.High] }).ToArray();
        var kept = issued.Where(f => f.Origin + f.Mean.Length > state.Length && f.Origin != state.Length).ToList();
        kept.Add(new IssuedForecast(state.Length, forecast.Mean, bands, interval?.Lower, interval?.Upper));
        var quantiles = forecast.Quantiles.OrderBy(q => q.Key)
            .ToDictionary(q => q.Key.ToString(CultureInfo.InvariantCulture), q => q.Value, StringComparer.Ordinal);
        return new StreamDocument(state, kept, naiveScale, new StoredForecast(forecast.Mean, quantiles, interval?.Lower, interval?.Upper,
            model.NonNegative ? forecast.ClampedAtZero : null, forecast.LevelChanges, Forecasts.ForecastEndpoints.TrainedSeries(model, seriesId)), future, lastValues);
    }

    /// <summary>
    /// Appends <paramref name="values"/> (and the covariates' values at the same steps, [covariate][step]) to a copy of the
    /// document's state, scoring each observed value first; then forecasts. Throws <see cref="ArgumentException"/> when the
    /// series can no longer be forecast (its last window mostly missing), or naming the element the model refuses
    /// (<c>values[j]</c>, <c>covariates.promo[j]</c>, j the request's index: <paramref name="placedAt"/> maps the request's values
    /// to those placed on the stream's steps where its timestamps skip some): nothing is changed then.
    /// </summary>
    public (StreamDocument Document, List<ObservationScore> Scores, List<AnomalyFlag> Anomalies) Append(ForecastModel model, StreamDocument document,
        float[] values, float[][] covariates, Dictionary<string, float[]>? future, string seriesId, int[]? placedAt = null)
    {
        var state = document.State.Clone();
        state.SeriesId = seriesId;
        var last = new List<float?>(document.LastValues);
        var scores = new List<ObservationScore>();
        var anomalies = new List<AnomalyFlag>();
        var step = new float[covariates.Length];
        for (int j = 0; j < values.Length; j++)
        {
            float v = values[j];
            if (!float.IsNaN(v))
            {
                var (scored, anomaly) = OnlineScoring.Score(document.Issued, state.Length, v, document.NaiveScale);
                scores.AddRange(scored);
                if (anomaly is not null) anomalies.Add(anomaly);
            }
            for (int k = 0; k < covariates.Length; k++) step[k] = covariates[k][j];
            try { model.Append(state, v, step); }
            catch (ArgumentException e) when (e.ParamName is "value" || e.ParamName?.StartsWith("covariates.", StringComparison.Ordinal) == true)
            {
                // The model refuses one step; the caller is told which of the appended elements (a step the timestamps skip is
                // missing and never refused, so it is one of the request's).
                int given = placedAt is null ? j : Array.IndexOf(placedAt, j);
                throw new ArgumentException(ClientMessages.Of(e), e.ParamName == "value" ? $"values[{given}]" : $"{e.ParamName}[{given}]", e);
            }
            last.Add(float.IsNaN(v) ? null : v);
        }
        if (last.Count > model.InputWindow) last.RemoveRange(0, last.Count - model.InputWindow);
        if (model.ForecastProblem(state) is { } problem) throw new ArgumentException(problem, "values");
        var recent = new List<float?>(document.Recent ?? document.LastValues);
        recent.AddRange(values.Select(x => float.IsNaN(x) ? (float?)null : x));
        Trim(recent);
        return (Forecast(model, state, document.NaiveScale, future, document.Issued, last, seriesId) with { Alias = document.Alias, Recent = recent, Timing = document.Timing }, scores, anomalies);
    }

    /// <summary>Keeps the last Streams:RecentValues of <paramref name="recent"/>.</summary>
    public List<float?> Trim(List<float?> recent)
    {
        int keep = options.Value.RecentValues;
        if (recent.Count > keep) recent.RemoveRange(0, recent.Count - keep);
        return recent;
    }
}
