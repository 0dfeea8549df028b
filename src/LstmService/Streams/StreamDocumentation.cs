namespace LstmService.Streams;

/// <summary>The OpenAPI texts and examples of <see cref="StreamEndpoints"/>.</summary>
public static class StreamDocumentation
{
    public const string Open =
        "Opens a stream of one series on a version (?version=N, ?alias=A or the newest; an alias is resolved now and the stream " +
        "stays on that version) and answers 201 with the stream and its forecast. The body gives `seriesId` and `history` (null = " +
        "missing, at least the version's inputWindow values, two periods from the first observed value where the theta method alone repeats its season; `covariates` and `futureCovariates` as a forecast takes them), or " +
        "`state`, a state GET /streams/{id}/state exported (its version must be this one), to go on from there. A log-scale " +
        "version (architecture.transform) takes positive values only. Appends then cost a fixed amount of work per value, however " +
        "long the history; the forecast equals a one-off forecast of the whole history bit for bit. A `start` (with the version's " +
        "frequency or `frequency`), or a seriesId named like a training series of a dated version, dates the stream: every forecast " +
        "then carries `timestamps`, appended values being the next steps. 400 names every bad field.";

    public const string Append =
        "Appends `values` (oldest first, null = missing) and each covariate's values at the same steps, and answers the new " +
        "forecast. Every observed value is scored first against each earlier forecast made for it (absolute error, error over the " +
        "series' naive error, quantile intervals hit) and flagged as an anomaly when it lies outside the anomaly interval " +
        "(Streams:AnomalyLow..AnomalyHigh, 0.01..0.99 by default) of the latest forecast made for it. A version with covariates " +
        "known in advance needs their next horizon values in `futureCovariates`. On a dated stream `timestamps` may give each value's " +
        "time: the values land on those steps and a step they skip is missing. 404 for an unknown stream, 409 when its version was " +
        "deleted; concurrent appends are applied one after the other, none lost.";

    public const string Get =
        "The stream's version, length, last window of values, current forecast (with the anomaly interval), rolling online " +
        "accuracy over its latest scored values (Streams:MonitoringWindow; overall and per horizon step) and its latest anomalies.";

    public const string State =
        "The stream's state as JSON: the series' state (`series`: its last values on the model's scale, the scaling sums, the " +
        "classical members' filter states, the covariates' last values and sums), the forecasts still to score, the naive error, " +
        "the `alias` the stream was opened through and its `recent` values as given (Streams:RecentValues: a challenger that beats " +
        "the version trains on them and moves that alias), and the network's per-layer h and c after reading the last window " +
        "(derived: recomputed from the window for every forecast, ignored on import; null when the version's weights cannot be " +
        "read now, which the rest does not need). POST it as `state` to /models/{name}/streams to open a stream that goes on from here.";

    public const string Monitoring =
        "The version's rolling online accuracy over its streams' latest scored values (Streams:MonitoringWindow), with the backtest's " +
        "definitions, next to its backtest accuracy, and their ratios (maseRatio, maeRatio: online over backtest, above 1 when the " +
        "version does worse online than on its validation part); the number of its streams and of anomalies kept; drift: whether the " +
        "version drifts now (online MASE over the newest Monitoring:DriftObservations x horizon scores: that many values appended one at a time, each at every step it was forecast at, above Monitoring:DriftFactor times " +
        "the backtest's; a drift clears once a full window scored after its flag is back within the factor, or when its challenger loses) " +
        "and how many drift episodes it has had, and decisions: each episode's drift, the challenger queued with Monitoring:AutoRetrain, " +
        "the champion/challenger comparison and what cleared it, oldest first. " +
        "A classification version has no streams: 400.";

    /// <summary>The forecast example's history (sunspots 1949-2008): runs as it is against the demo model, whose input window is 31.</summary>
    public const string OpenExample = $$"""
        {
          "seriesId": "sunspots",
          "history": [{{Forecasts.ForecastDocumentation.SunspotsHistory}}]
        }
        """;

    public const string AppendExample = """
        { "values": [145, null, 150] }
        """;
}
