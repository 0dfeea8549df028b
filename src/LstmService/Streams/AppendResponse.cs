namespace LstmService.Streams;

/// <summary>The answer to an append: the stream's new length and forecast, every value scored against the forecasts made for it, and the anomalies among them.</summary>
public sealed record AppendResponse(string Id, int Length, StreamForecastResponse Forecast, IReadOnlyList<ScoredValueResponse> Scored, IReadOnlyList<AnomalyResponse> Anomalies);
