using LstmService.Drift;
using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Streaming;
using LstmService.Infrastructure;
using LstmService.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LstmService.Streams;

/// <summary>The handlers of <see cref="StreamEndpoints"/>: each returns its declared results, so OpenAPI lists them.</summary>
public static class StreamHandlers
{
    public static Results<Created<StreamResponse>, ValidationProblem, ProblemHttpResult> Open(string name, OpenStreamRequest request,
        ModelRegistry registry, StreamStore store, StreamService streams, IOptions<StreamOptions> options, IOptions<ForecastOptions> limits,
        ForecastPointLimiter points, TimeProvider time, HttpContext http, ServiceMetrics metrics, int? version = null, string? alias = null)
    {
        var errors = new ValidationErrors();
        if (version is not null && alias is not null) errors.Add("alias", "Give either version or alias, not both.");
        bool chosen = version is not null || alias is not null;
        var imported = request.State;
        if (imported is not null)
        {
            if (request.History is not null || request.Covariates is not null) errors.Add("state", "Give either history (and covariates) or an exported state, not both.");
            foreach (var (field, given) in new[] { ("start", request.Start), ("frequency", request.Frequency) })
                if (given is not null) errors.Add(field, "An exported state brings its own dates (state.timing); give start and frequency with a history.");
            if (imported.Model is not null && imported.Model != name) errors.Add("state.model", $"The state belongs to model '{imported.Model}', not '{name}'.");
            if (imported.Version is null) errors.Add("state.version", "Required: the version the state was exported from.");
            else if (imported.Version < 1) errors.Add("state.version", UnmatchedRequestProblems.VersionRule(imported.Version.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (imported.Alias is not null && (!Names.IsValid(imported.Alias) || Names.IsAllDigits(imported.Alias))) errors.Add("state.alias", $"Not an alias: {Names.Rule}");
            if (imported.Recent?.Any(x => x is { } r && !float.IsFinite(r)) == true) errors.Add("state.recent", "Values must be finite 32-bit floats or null, as exported.");
            // A stream forecasts under its series' id (a model of several series keeps that series' own weights and interval
            // scales): the state's values under another id had been forecast with another series' intervals (a QA pass).
            if (request.SeriesId is { } relabel && imported.SeriesId is { } exportedId && relabel != exportedId)
                errors.Add("seriesId", $"The state was exported from series '{exportedId}': leave seriesId out, or give that one.");
            version ??= alias is null ? imported.Version : null;
        }
        else if (request.History is null || request.History.Count == 0) errors.Add("history", "Required: the series' history (at least the version's inputWindow values, two periods from the first observed value where the theta method alone repeats its season), or an exported state.");
        StreamInputs.SeriesId(request.SeriesId ?? imported?.SeriesId, errors, request.SeriesId is null && imported is not null ? "state.seriesId" : "seriesId");
        if (!errors.IsValid) return TypedResults.ValidationProblem(errors.ToDictionary());

        // A classification version has no forecast to stream (loading it as a forecaster would fail).
        if (registry.ResolveForTask(name, version, alias, ModelTask.Forecasting, http, out var v) is { } notServed) return notServed;
        // Compared once the version asked for is known to exist: a version that does not is a 404, whatever the state says.
        if (imported is not null && imported.Version != v.Version)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state.version"] = [alias is null
                ? $"The state belongs to version {imported.Version}, not {v.Version}."
                : $"The state belongs to version {imported.Version}; alias '{alias}' points to {v.Version}."] });
        var (model, error) = registry.GetForecaster(v);
        if (model is null) return registry.LoadProblem(v, error!, http);
        // Refused before the history is read (up to Forecast:MaxHistoryLength values); an imported state keeps the id it was exported with.
        if (imported is null && SeriesIds.UntrimmedProblem(request.SeriesId!, Forecasts.ForecastEndpoints.KeepsSeries(v, model),
                known => Forecasts.ForecastEndpoints.TrainedId(v, model, known)) is { } untrimmed)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["seriesId"] = [untrimmed] });

        // An export keeps the version's horizon of future values; one from a release that kept more than it read is cut there.
        var future = StreamInputs.Future(request.FutureCovariates ?? (IReadOnlyDictionary<string, IReadOnlyList<double?>>?)imported?.FutureCovariates?.ToDictionary(
            f => f.Key, f => (IReadOnlyList<double?>)f.Value.Take(model.Horizon).Select(x => float.IsNaN(x) ? (double?)null : x).ToList()), model, errors);
        var (state, issued, naiveScale, last) = imported is null
            ? FromHistory(request, model, v, limits.Value, errors)
            : FromExport(imported, model, errors);
        var timing = imported is null ? StreamInputs.Timing(request, v, model, limits.Value, errors) : imported.Timing;
        if (imported?.Timing is { } importedTiming && state is not null && TimingProblem(importedTiming, state.Length, v, model) is { } timingProblem)
            errors.Add("state.timing", $"Does not fit: {timingProblem}.");
        // The recent values are what a drift's challenger trains and is judged on: no more than the stream's own (a QA pass
        // imported an export's 63 repeated to 500, and a challenger would have trained on them).
        if (imported?.Recent is { } recentGiven && state is not null && recentGiven.Count > state.Length)
            errors.Add("state.recent", $"Holds {recentGiven.Count} values, but the state's series has {state.Length}: a stream keeps at most its own values, as exported.");
        if (!errors.IsValid || state is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        if (HorizonOverLimit(points, http, model, state.Pending, imported is null ? "history" : "state") is { } overLimit) return overLimit;

        StreamDocument document;
        try { document = streams.Forecast(model, state, naiveScale, future, issued, last, (request.SeriesId ?? imported?.SeriesId)!); }
        catch (Exception e) when (e is ArgumentException || (imported is not null && e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidOperationException))
        {
            // A history the checks let through is still the caller's input; so is a state whose parts contradict each other.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [imported is null ? "history" : "state.series"] = [ClientMessages.Of(e)] });
        }
        // Taken once the stream is known to be good, so a refused opening takes nothing; a trailing gap's fill counts too.
        if (points.TryTake(http, model.Horizon + model.GapFillValues(state.Pending)) is { } limited) return limited;
        // The alias is kept so a challenger that beats this version can take over what served the stream (an import keeps the
        // exported one unless the request names another), and the recent values are what that challenger trains on.
        var recent = imported is null ? request.History!.Select(x => (float?)x).ToList() : new List<float?>(imported.Recent is { Count: > 0 } exported ? exported : last);
        // The exported alias only while it still points to this version, and only where the request chose none: a stale one
        // would count as a second alias of the version's streams, which leaves a drift without a challenger.
        var importedAlias = !chosen && imported?.Alias is { } a && registry.ListAliases(name).Any(x => x.Alias == a && x.Version == v.Version) ? a : null;
        document = document with { Alias = alias ?? importedAlias, Recent = streams.Trim(recent), Timing = timing };
        var now = time.GetUtcNow();
        var record = new StreamRecord(Guid.NewGuid().ToString("N"), name, v.Version, (request.SeriesId ?? imported?.SeriesId)!, now, now, 1, state.Length, document);
        // Answered before it is stored (a new stream has no scores or anomalies yet), so an answer that cannot be written stores nothing.
        var response = ToResponse(record, v, [], []);
        if (WritableAnswer.Problem(response, http, "the stream was not opened.") is { } unwritable) return unwritable;
        store.Insert(record);
        metrics.StreamForecasts.WithLabels("open").Inc();
        return TypedResults.Created($"/streams/{record.Id}", response);
    }

    /// <summary>
    /// A stream's opening or append forecasts the version's horizon once, so it takes that many forecast values, as a one-off
    /// forecast of one series would (<see cref="ForecastPointLimiter"/>), and those that fill a trailing gap of
    /// <paramref name="pending"/> values; this is the 400 when no window ever holds as many. Checked on the horizon alone, a
    /// trailing gap's fill had asked the limiter for more than a window holds: a 500, after an append was stored (a review).
    /// </summary>
    static ValidationProblem? HorizonOverLimit(ForecastPointLimiter points, HttpContext http, ForecastModel model, int pending, string field)
    {
        int fill = model.GapFillValues(pending);
        string advice = fill == 0
            ? "this version's horizon alone is more than a window allows; the operator must raise the setting"
            : $"the {fill} values that fill the trailing gap of {pending} are counted with the horizon; give the values up to a later time, or the operator must raise the setting";
        return points.TooLarge(http, model.Horizon + fill, advice) is { } tooLarge
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [tooLarge] })
            : null;
    }

    /// <summary>A new state built from the history, value by value; the series' naive error (MASE's scale) from the same history.</summary>
    static (SeriesState?, List<IssuedForecast>, double, List<float?>) FromHistory(OpenStreamRequest request, ForecastModel model, VersionRecord v,
        ForecastOptions limits, ValidationErrors errors)
    {
        var history = request.History!;
        if (history.Count > limits.MaxHistoryLength)
        {
            errors.Add("history", $"At most {limits.MaxHistoryLength} values (Forecast:MaxHistoryLength); got {history.Count}.");
            return (null, [], 0, []);
        }
        if (HistoryLength.TooShort(model, history.Count, HistoryLength.LeadingMissing(history), HistoryLength.TrailingMissing(history)) is { } tooShort) errors.Add("history", tooShort);
        var values = StreamInputs.Values(history, "history", model, errors);
        var covariates = StreamInputs.Covariates(request.Covariates, values.Length, model, "covariates", errors);
        for (int k = 0; k < covariates.Length; k++)
            if (covariates[k].All(float.IsNaN) && errors.IsValid) errors.Add($"covariates.{model.Covariates[k]}", "All values are null: at least one must be observed.");
        if (!errors.IsValid) return (null, [], 0, []);
        SeriesState state;
        // The model checks what it reads (a version that regresses covariates out reads the history less their effect).
        try { state = model.NewState(values, covariates, request.SeriesId); }
        catch (ArgumentException e)
        {
            // The model names the element it refuses (history[3], or covariates.promo[3] whose effect put it out of range).
            errors.Add(e.ParamName is { } field && (field.StartsWith("history[", StringComparison.Ordinal) || field.StartsWith("covariates.", StringComparison.Ordinal)) ? field : "history", ClientMessages.Of(e));
            return (null, [], 0, []);
        }
        if (model.ForecastProblem(state) is { } problem) { errors.Add("history", problem); return (null, [], 0, []); }
        var filled = new float[values.Length];
        SeriesMath.FillGaps(values, filled);
        double scale = Backtest.NaiveScale(filled, v.Metrics?.Backtest?.SeasonLength ?? model.SeasonLength);
        var last = values[^Math.Min(values.Length, model.InputWindow)..].Select(x => float.IsNaN(x) ? (float?)null : x).ToList();
        return (state, [], scale, last);
    }

    /// <summary>The state of an export, checked against the version (an export of another version's state would forecast nonsense).</summary>
    static (SeriesState?, List<IssuedForecast>, double, List<float?>) FromExport(StreamStateExport export, ForecastModel model, ValidationErrors errors)
    {
        if (export.Series is not { } state) { errors.Add("state.series", "Required: the series' state as exported."); return (null, [], 0, []); }
        if (StateProblem(state, model) is { } problem) errors.Add("state.series", $"Does not fit this version: {problem}.");
        var issued = export.Issued ?? [];
        int pairs = Backtest.IntervalPairs(model.Quantiles).Count * 2, h = model.Horizon;
        // A version with quantile pairs flags anomalies outside each issued forecast's bounds: an import without them would flag none.
        bool Bounds(float[]? bound) => bound is null ? pairs == 0 : bound.Length == h && bound.All(float.IsFinite);
        if (issued.Any(f => f is null || f.Mean?.Length != h || !f.Mean.All(float.IsFinite) || f.Origin < 0 || f.Origin > state.Length || f.Bands is null || f.Bands.Length != pairs
                || f.Bands.Any(b => b?.Length != h || !b.All(float.IsFinite)) || !Bounds(f.Lower) || !Bounds(f.Upper)))
            errors.Add("state.issued", $"Each issued forecast has an origin within the series and {h} finite values in its mean, in each of its {pairs} bands"
                + (pairs > 0 ? " and in its lower and upper anomaly bounds" : "") + ", as exported.");
        // A stream keeps one forecast per origin among the last h, until its last step is observed: no more can be imported,
        // or copies of one forecast would each be scored against every value (and fill the version's monitoring).
        else if (issued.Any(f => f.Origin + h <= state.Length) || issued.Select(f => f.Origin).Distinct().Count() != issued.Count)
            errors.Add("state.issued", $"At most one forecast per origin, each from one of the last {h} origins (the horizon), as exported.");
        if (export.NaiveScale is not { } scale || !(scale > 0) || !double.IsFinite(scale)) errors.Add("state.naiveScale", "Required: a positive number, as exported.");
        if (!errors.IsValid) return (null, [], 0, []);
        var last = model.WindowValues(state).Select(x => float.IsNaN(x) ? (float?)null : x).ToList();
        return (state, issued, export.NaiveScale!.Value, last);
    }

    /// <summary>Why an imported timing cannot date this state on this version (another step than the version's, dates past 9999), or null.</summary>
    static string? TimingProblem(StreamTiming timing, int length, VersionRecord v, ForecastModel model)
    {
        if (timing.Problem(length) is { } problem) return problem;
        if (TimeFrequency.Parse(v.Training?.Frequency) is { } trained && TimeFrequency.Parse(timing.Frequency) != trained)
            return $"version {v.Version} was trained on data sampled every {trained} ({trained.ToIso()}), not {timing.Frequency}";
        return timing.StepTimes(length, model.Horizon) is null ? "the forecast's dates would pass the year 9999" : null;
    }

    /// <summary>Why an imported state cannot be this version's, or null.</summary>
    internal static string? StateProblem(SeriesState s, ForecastModel model)
    {
        int w = model.InputWindow;
        if (s.Length < 0 || s.Settled < 0 || s.Settled > s.Length) return "length and settled must satisfy 0 <= settled <= length";
        if (s.Tail is null || s.Window is null || s.Scale is null || s.Covariates is null) return "tail, window, scale and covariates are required";
        // A stream trims its tail and window once they reach twice what it reads (SeriesState.Push), so an export never holds more.
        int keep = Math.Max(w, 2);
        if (s.Held is { } held && (s.Settled == 0 || !float.IsFinite(held))) return "a held value is the last settled one, finite";
        int committed = s.Committed;
        if (s.Tail.Count < Math.Min(committed, keep) || s.Tail.Count > Math.Min(committed, 2 * keep - 1) || !s.Tail.All(float.IsFinite))
            return $"the tail holds the last {keep} to {2 * keep - 1} settled values but the held one (finite)";
        // Since a trailing gap is forecast through, the window keeps the values before the longest one too; an older export's, one window.
        int kept = model.WindowKept;
        if (s.Window.Count > Math.Min(s.Length, 2 * kept - 1) || s.Window.Count < Math.Min(s.Length, w) || s.Window.Any(float.IsInfinity))
            return $"the window holds the last {w} to {2 * kept - 1} values";
        // The values after the last observed one are missing, that one is not (the trailing gap is filled from it).
        int pending = s.Length - s.Settled;
        if (s.Settled == 0 && s.Length > 0) return "a series with no observed value cannot be forecast";
        if (s.Window.Count > 0 && (s.Window.Skip(Math.Max(0, s.Window.Count - pending)).Any(v => !float.IsNaN(v))
            || (pending < s.Window.Count && float.IsNaN(s.Window[s.Window.Count - 1 - pending]))))
            return "the window's missing values must match the settled count";
        if (s.Scale.Problem(model.Scaling) is { } scale) return scale;
        if (s.Lead < 0 || s.Lead > committed) return "lead counts settled values before the first observed one";
        committed -= s.Lead; // filled back in the tail alone
        if (s.Scale.Count != committed) return "the scaling counts the settled values but the held one and the lead";
        if ((model.Statistics is null) != (s.Statistics is null)) return model.Statistics is null ? "this version has no classical members" : "the classical members' state is required";
        if (s.Statistics is not null && (s.Statistics.Count != committed || s.Statistics.Problem(model.Statistics!) is { } members)) return s.Statistics.Count != committed ? "the members count the settled values but the held one" : s.Statistics.Problem(model.Statistics!);
        if (model.LevelChangesProblem(s) is { } changes) return changes;
        if (!s.Covariates.Select(c => c?.Name).SequenceEqual(model.Covariates)) return $"covariates are {string.Join(", ", model.Covariates)}, in that order";
        foreach (var c in s.Covariates)
            if (c.Settled < 0 || c.Settled > s.Length || c.Tail is null || c.Tail.Count > Math.Min(c.Settled, 2 * keep - 1) || c.Tail.Count < Math.Min(c.Settled, keep) || !c.Tail.All(float.IsFinite)
                || c.Scale is null || c.Scale.Problem(ScalingMode.SeriesZScore) is not null || c.Scale.Count != c.Settled)
                return $"covariate '{c.Name}' does not fit";
        return null;
    }

    public static async Task<Results<Ok<AppendResponse>, ValidationProblem, ProblemHttpResult>> Append(string id, AppendObservationsRequest request,
        ModelRegistry registry, StreamStore store, StreamService streams, DriftMonitor drift, IOptions<StreamOptions> options, ForecastPointLimiter points,
        TimeProvider time, HttpContext http, ServiceMetrics metrics)
    {
        if (!StreamInputs.IsStreamId(id)) return InvalidId();
        var errors = new ValidationErrors();
        if (request.Values is null || request.Values.Count == 0) errors.Add("values", "Required: at least one value (null for a missing one).");
        else if (request.Values.Count > options.Value.MaxValuesPerAppend)
            errors.Add("values", $"At most {options.Value.MaxValuesPerAppend} values per append (Streams:MaxValuesPerAppend); got {request.Values.Count}.");
        if (!errors.IsValid) return TypedResults.ValidationProblem(errors.ToDictionary());

        for (int attempt = 0; attempt < options.Value.MaxConflictRetries; attempt++)
        {
            if (store.Get(id) is not { } record) return StreamNotFound(id);
            if (registry.GetVersion(record.Model, record.Version) is not { } v)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Stream's version deleted",
                    detail: $"Version {record.Version} of model '{record.Model}' was deleted; open a new stream on another version.");
            var (model, error) = registry.GetForecaster(v);
            if (model is null) return registry.LoadProblem(v, error!, http);
            var values = StreamInputs.Values(request.Values!, "values", model, errors);
            var covariates = StreamInputs.Covariates(request.Covariates, values.Length, model, "covariates", errors);
            var future = StreamInputs.Future(request.FutureCovariates, model, errors);
            // Timestamps place the values (checked as given, so errors name the caller's indices) on the stream's next steps.
            int[]? placedAt = null;
            if (errors.IsValid && request.Timestamps is not null
                && StreamAppendTimes.Place(request, record.Document.Timing, record.Document.State.Length, options.Value.MaxValuesPerAppend, errors, out placedAt) is { } placed)
            {
                values = StreamInputs.Values(placed.Values!, "values", model, errors);
                covariates = StreamInputs.Covariates(placed.Covariates, values.Length, model, "covariates", errors);
            }
            if (!errors.IsValid) return TypedResults.ValidationProblem(errors.ToDictionary());

            StreamDocument document;
            List<ObservationScore> scores;
            List<AnomalyFlag> flags;
            try { (document, scores, flags) = streams.Append(model, record.Document, values, covariates, future, record.SeriesId, placedAt); }
            catch (ArgumentException e)
            {
                // Steps the timestamps skip are missing values too: when they are what leaves the window empty, say so there.
                int skipped = values.Length - request.Values!.Count;
                // An appended element the model refuses is named as the request gives it (values[2], covariates.promo[2]).
                if (e.ParamName is { } element && (element.StartsWith("values[", StringComparison.Ordinal) || element.StartsWith("covariates.", StringComparison.Ordinal)))
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [element] = [ClientMessages.Of(e)] });
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [skipped > 0 ? "timestamps" : "values"] = [skipped > 0
                    ? $"The timestamps skip {skipped} step(s), each a missing value; after them and these values the series cannot be forecast: {ClientMessages.Of(e)}"
                    : $"After these values the series cannot be forecast: {ClientMessages.Of(e)}"] });
            }
            var times = document.Timing?.StepTimes(document.State.Length, model.Horizon);
            if (document.Timing is not null && times is null)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["values"] = ["After these values the forecast's dates would pass the year 9999."] });
            // Checked once the append is known to be good and taken once it is stored, so a refused one takes nothing, nor one
            // that a racing append makes a duplicate on its retry.
            int cost = model.Horizon + model.GapFillValues(document.State.Pending);
            if (HorizonOverLimit(points, http, model, document.State.Pending, "values") is { } overLimit) return overLimit;
            if (points.HasRoom(http, cost) is { } limited) return limited;
            var now = time.GetUtcNow();
            var updated = record with { Revision = record.Revision + 1, Length = document.State.Length, UpdatedAt = now, Document = document };
            var stored = flags.Select(a => new AnomalyRecord(id, now, a.Index, a.Step, a.Value, a.Lower, a.Upper)).ToList();
            var pairs = OnlineMetrics.PairNames(model.Quantiles);
            // Answered before the values are stored, so an answer that cannot be written stores nothing.
            var answer = new AppendResponse(id, updated.Length, StreamForecastResponse.From(document.Forecast, updated.Length, times, document.Timing),
                scores.Select(s => new ScoredValueResponse(s.Index, s.Step, s.Actual, s.Forecast, (float)s.AbsoluteError, s.ScaledError,
                    pairs.Where((_, k) => (s.Hits & (1 << k)) != 0).ToArray())).ToList(),
                stored.Select(AnomalyResponse.From).ToList());
            if (WritableAnswer.Problem(answer, http, "the values were not appended.") is { } unwritable) return unwritable;
            if (!await store.TryUpdateAsync(updated, record.Revision, scores.Select(s => new ScoreRecord(s.Index, s.Step, s.AbsoluteError, s.SquaredError, s.ScaledError, s.Smape, s.Hits)).ToList(), stored))
                continue; // another append came first: read its result and apply these values after it
            points.Take(http, cost);
            metrics.StreamForecasts.WithLabels("append").Inc();
            if (scores.Count > 0) drift.AfterAppend(v);
            return TypedResults.Ok(answer);
        }
        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Stream busy",
            detail: $"Stream '{id}' changed {options.Value.MaxConflictRetries} times while these values were applied; send them again.");
    }

    public static Results<Ok<StreamResponse>, ValidationProblem, ProblemHttpResult> Get(string id, ModelRegistry registry, StreamStore store, IOptions<StreamOptions> options)
    {
        if (!StreamInputs.IsStreamId(id)) return InvalidId();
        if (store.Get(id) is not { } record) return StreamNotFound(id);
        return TypedResults.Ok(ToResponse(record, registry.GetVersion(record.Model, record.Version), store, options.Value));
    }

    public static Results<Ok<StreamStateExport>, ValidationProblem, ProblemHttpResult> GetState(string id, ModelRegistry registry, StreamStore store)
    {
        if (!StreamInputs.IsStreamId(id)) return InvalidId();
        if (store.Get(id) is not { } record) return StreamNotFound(id);
        // The network's states are shown for inspection only: a version whose weights cannot be read now (deleted, damaged,
        // too large for the cache) still exports everything an import needs, with network null.
        NetworkStateExport? network = null;
        if (registry.GetVersion(record.Model, record.Version) is { } v && registry.GetForecaster(v).Model is { } model)
        {
            // Under the stream's series id, as its forecasts read the state (a trailing gap filled with that series' weights).
            var named = record.Document.State.Clone();
            named.SeriesId = record.SeriesId;
            var (hidden, cell) = model.NetworkState(named, record.Document.FutureCovariates);
            network = new NetworkStateExport(hidden, cell);
        }
        var d = record.Document;
        return TypedResults.Ok(new StreamStateExport
        {
            Model = record.Model, Version = record.Version, SeriesId = record.SeriesId, Series = d.State, Issued = d.Issued, NaiveScale = d.NaiveScale,
            FutureCovariates = d.FutureCovariates, Network = network, Timing = d.Timing, Alias = d.Alias, Recent = d.Recent ?? d.LastValues,
        });
    }

    public static Results<NoContent, ValidationProblem, ProblemHttpResult> Delete(string id, StreamStore store)
    {
        if (!StreamInputs.IsStreamId(id)) return InvalidId();
        return store.Delete(id) ? TypedResults.NoContent() : StreamNotFound(id);
    }

    public static Results<Ok<MonitoringResponse>, ProblemHttpResult> Monitoring(string name, int version, ModelRegistry registry, StreamStore store,
        VersionEventStore events, IOptions<StreamOptions> options, IOptions<DriftOptions> driftOptions, DriftMonitor drift, TimeProvider time)
    {
        var lookup = registry.Resolve(name, version, null);
        if (lookup.Version is not { } v) return lookup.ToProblem(name, version, null);
        // A classification version has no streams to monitor: a 400 saying so, not an empty 200.
        if (v.Architecture.Task != ModelTask.Forecasting)
            return Problems.WrongTask(name, version, "classification", "forecasting", "streams and their monitoring serve forecasting versions only.");
        int window = options.Value.MonitoringWindow;
        var online = OnlineMetrics.From(store.VersionScores(name, version, window), OnlineMetrics.PairNames(v.Quantiles));
        var (streams, anomalies) = store.VersionCounts(name, version, time.GetUtcNow().AddDays(-options.Value.IdleDays));
        var backtest = BacktestAccuracyResponse.From(v.Metrics?.Backtest);
        var decisions = events.List(name, version);
        var latest = DriftEpisode.Latest(decisions);
        var flag = latest is { Open: true } ? latest.Flag : null;
        var d = driftOptions.Value;
        // The rule's own window, as it reads it: the scores stored since its latest decision; its values counted (which reads
        // the table's rows) only while it is not full, when the dashboard says how far it has come.
        int size = drift.WindowSize(v);
        var rule = drift.Window(v, latest?.ScoresThrough ?? 0);
        if (rule.Scores < size) rule = drift.Window(v, latest?.ScoresThrough ?? 0, countValues: true);
        double? current = rule.Scores >= size ? Ratio(rule.Mase, backtest?.Mase) : null;
        return TypedResults.Ok(new MonitoringResponse(name, version, window, streams, anomalies, online, backtest,
            Ratio(online.Mase, backtest?.Mase), Ratio(online.Mae, backtest?.Mae),
            new DriftResponse(flag is not null, flag?.At, flag?.Ratio, d.DriftFactor, d.DriftObservations, d.AutoRetrain, DriftMonitor.NotJudged(v), latest?.Number ?? 0, current,
                size, rule.Scores, rule.Values),
            decisions.Select(DecisionResponse.From).ToList()));
    }

    static double? Ratio(double? online, double? backtest) => online is { } o && backtest is { } b && b > 0 ? o / b : null;

    static StreamResponse ToResponse(StreamRecord r, VersionRecord? v, StreamStore store, StreamOptions options) =>
        ToResponse(r, v, store.StreamScores(r.Id, options.MonitoringWindow), store.StreamAnomalies(r.Id, options.ListedAnomalies));

    static StreamResponse ToResponse(StreamRecord r, VersionRecord? v, IReadOnlyList<ScoreRecord> scores, IReadOnlyList<AnomalyRecord> anomalies)
    {
        var pairs = v is null ? [] : OnlineMetrics.PairNames(v.Quantiles);
        return new StreamResponse(r.Id, r.Model, r.Version, r.SeriesId, r.Length, r.CreatedAt, r.UpdatedAt, r.Document.LastValues,
            StreamForecastResponse.From(r.Document.Forecast, r.Length, r.Document.Timing), OnlineMetrics.From(scores, pairs),
            anomalies.Select(AnomalyResponse.From).ToList());
    }

    static ValidationProblem InvalidId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["A stream id is 32 lowercase hexadecimal digits, as POST /models/{name}/streams answered it."] });

    static ProblemHttpResult StreamNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Stream not found", detail: $"There is no stream '{id}' (an idle stream expires after Streams:IdleDays, and a model's streams are deleted with it).");
}
