namespace LstmService.Streams;

/// <summary>The answer to an append: the stream's new length and forecast, every value scored against the forecasts made for it, and the anomalies among them.</summary>
/// <param name="Id">The stream's id.</param>
/// <param name="Length">Values the stream holds after the append (missing ones included).</param>
/// <param name="Forecast">The forecast after the appended values.</param>
/// <param name="Scored">Each observed appended value against each earlier forecast made for it, one entry per value and forecast (missing values are not scored).</param>
/// <param name="Anomalies">The appended values outside the anomaly interval of the latest forecast made for them; empty when none was.</param>
public sealed record AppendResponse(string Id, int Length, StreamForecastResponse Forecast, IReadOnlyList<ScoredValueResponse> Scored, IReadOnlyList<AnomalyResponse> Anomalies);
