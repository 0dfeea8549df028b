using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using LstmService.Infrastructure;
using LstmService.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace LstmService.Training;

public static class TrainingEndpoints
{
    public static IEndpointRouteBuilder MapTrainingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/models/{name}/training-jobs", QueueTrainingJob)
            .WithTags("Training")
            .RequireWriteKey()
            .RequireRateLimiting(RateLimits.TrainingSubmits)
            .HeavyRequest()
            .AddEndpointFilter<RouteNameFilter>()
            .WithName("QueueTrainingJob")
            .WithSummary("Queue training of a new model version")
            .WithDescription(TrainingDocumentation.QueueTrainingJob)
            .Accepts<TrainingRequest>("application/json")
            .WithRequestExample<TrainingRequest>(TrainingDocumentation.Example)
            .WithRequestBodyDescription("The series to train on and the training options, as JSON (only `series` is required), or as multipart/form-data: a CSV `file` with the same options as form fields.")
            .WithResponseExample(StatusCodes.Status202Accepted, TrainingDocumentation.QueuedExample)
            .WithResponseExample(StatusCodes.Status400BadRequest, TrainingDocumentation.ProblemExample)
            // Not the demo model's name: a pre-filled "Try it out" trains the sine example (horizon 6) as a model of its own, and the
            // demo "sunspots" keeps the horizon 10 that the forecast example asks of it.
            .WithParameterExample("name", "my-model")
            .AddOpenApiOperationTransformer(TrainingDocumentation.AddCsvFormAsync)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        // The same operation for a CSV upload: routing picks this endpoint by the request's Content-Type.
        app.MapPost("/models/{name}/training-jobs", QueueTrainingJobFromCsv)
            .WithTags("Training")
            .RequireWriteKey()
            .RequireRateLimiting(RateLimits.TrainingSubmits)
            .HeavyRequest()
            .AddEndpointFilter<RouteNameFilter>()
            .WithName("QueueTrainingJobFromCsv")
            .WithMetadata(new AcceptsMetadata(["multipart/form-data"], typeof(TrainingRequest)))
            // Without a Content-Type both endpoints would match; the JSON one (order 0) then answers, as it did before.
            .WithOrder(1)
            // One OpenAPI operation documents both: TrainingDocumentation adds the multipart/form-data body to QueueTrainingJob.
            .ExcludeFromDescription();

        // A job's id has no example that runs everywhere (ids are random), so the form says where to get one.
        var jobs = app.MapGroup("/training-jobs").WithTags("Training").RequireReadKey()
            .WithParameterDescription("id", "The job's id: the `id` of the 202 answer to POST /models/{name}/training-jobs (also in its Location header), " +
                "or of a job that GET /training-jobs lists.");

        jobs.MapGet("/", ListJobs)
            .WithName("ListTrainingJobs")
            .WithSummary("List training jobs")
            .WithDescription("Newest first, optionally filtered by model and status (queued, running, succeeded, failed, cancelled). A page " +
                "that more jobs follow carries a Link header with rel=\"next\": the same query with before set to its last job's id, which answers the jobs " +
                "submitted before it. The last page carries none, full or not.")
            .WithResponseExample(StatusCodes.Status200OK, TrainingDocumentation.JobsExample)
            .WithParameterDescription("status", "Only jobs in this status.", "queued", "running", "succeeded", "failed", "cancelled")
            .WithResponseHeader(StatusCodes.Status200OK, "Link", "On a page that more jobs follow: <the next page's path and query>; rel=\"next\".");

        jobs.MapGet("/{id:guid}", GetJob)
            .WithName("GetTrainingJob")
            .WithSummary("Get a training job")
            .WithDescription("Status, progress (epoch, losses), the version created once succeeded, the error once failed, timestamps and the loss curve.")
            .WithResponseExample(StatusCodes.Status200OK, TrainingDocumentation.JobExample)
            .ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapPost("/{id:guid}/cancel", CancelJob)
            .RequireWriteKey()
            .WithName("CancelTrainingJob")
            .WithSummary("Cancel a training job")
            .WithDescription("A queued job is cancelled at once (200). A running job is asked to stop and ends cancelled shortly after (202). " +
                "Cancelling a cancelled job is a no-op (200); a job that already succeeded or failed answers 409.")
            .WithResponseExample(StatusCodes.Status200OK, TrainingDocumentation.CancelledExample)
            .WithResponseExample(StatusCodes.Status202Accepted, TrainingDocumentation.CancellingExample)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        jobs.MapGet("/{id:guid}/events", StreamJobEvents)
            .WithName("StreamTrainingJobEvents")
            .WithSummary("Stream a training job's progress (server-sent events)")
            .WithDescription("text/event-stream: an 'event: progress' with the job as JSON at each change (every epoch while running), " +
                "then one 'event: end' with the final job, after which the stream closes; or, when the service stops first, one " +
                "'event: stopping' with the job as it was and a reconnection delay (retry): reconnect after the restart. Every event has an " +
                "id (attempt-status-epoch, then the run's start once it has one); a reconnection that sends the last one in Last-Event-ID (as EventSource does) starts at the next change, " +
                "and gets 204 (EventSource then stops) when that was the end.")
            .AddOpenApiOperationTransformer(TrainingDocumentation.DescribeEventStream)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static Results<Accepted<TrainingJobResponse>, ValidationProblem, ProblemHttpResult> QueueTrainingJob(
        string name, TrainingRequest request, TrainingQueue queue, ModelRegistry registry, IOptions<TrainingQueueOptions> options, HttpContext http)
    {
        var errors = new ValidationErrors();
        var spec = Validate(name, request, registry, options.Value, errors);
        if (spec is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        return Submit(name, spec, queue, options.Value, http);
    }

    /// <summary>The validator's spec, after a warm start's parent filled in what the request left out (see <see cref="WarmStart"/>).</summary>
    private static TrainingJobSpec? Validate(string name, TrainingRequest request, ModelRegistry registry, TrainingQueueOptions options, ValidationErrors errors)
    {
        var parent = WarmStart.Resolve(name, ref request, registry, options, errors);
        var spec = TrainingRequestValidator.Validate(request, options, errors);
        return spec is null || parent is null ? spec : spec with { Settings = spec.Settings with { ParentVersion = parent.Version } };
    }

    /// <summary>The multipart/form-data form of <see cref="QueueTrainingJob"/>: a CSV file plus hyperparameters as form fields.</summary>
    public static async Task<Results<Accepted<TrainingJobResponse>, ValidationProblem, ProblemHttpResult>> QueueTrainingJobFromCsv(
        string name, HttpRequest request, TrainingQueue queue, ModelRegistry registry, IOptions<TrainingQueueOptions> options, IOptions<JsonOptions> json,
        ILogger<TrainingQueue> logger, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var upload = await TrainingUpload.ReadAsync(request, json.Value.SerializerOptions, options.Value.MaxSeries, errors, cancellationToken);
        if (upload is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        // The same request record as the JSON body, through the same validator, dated by the time column.
        var dated = CsvTiming.Apply(upload.Request, upload.Table, errors, upload.SeriesColumns);
        var spec = errors.IsValid ? Validate(name, dated, registry, options.Value, errors) : null;
        if (spec is null) return TypedResults.ValidationProblem(upload.DescribeErrors(errors.ToDictionary()));
        spec = CsvTiming.WithEnds(spec, upload.Table, upload.SeriesColumns);

        var table = upload.Table;
        logger.LogInformation("CSV upload for model {Model}: {Rows} rows, time column {TimeColumn} (frequency {Frequency}, {MissingTimes} missing times), series {Series}, {Missing} missing values",
            name, table.RowLines.Count, table.TimeColumn ?? "(none)", table.Timeline?.Frequency?.ToString() ?? "unknown", table.Timeline?.MissingTimes ?? 0,
            FirstOf(dated.Series!.Select(s => s.Id ?? "(unnamed)").ToList()), table.Columns.Sum(c => c.Missing));
        return Submit(name, spec, queue, options.Value, request.HttpContext);
    }

    /// <summary>
    /// The first ten of <paramref name="ids"/> and how many there are, for a log line: a CSV of 1,000 columns had listed every
    /// one of them in one line (a QA pass).
    /// </summary>
    static string FirstOf(IReadOnlyList<string> ids) =>
        ids.Count <= 10 ? string.Join(", ", ids) : $"{string.Join(", ", ids.Take(10))} and {ids.Count - 10} more";

    private static Results<Accepted<TrainingJobResponse>, ValidationProblem, ProblemHttpResult> Submit(
        string name, TrainingJobSpec spec, TrainingQueue queue, TrainingQueueOptions options, HttpContext http)
    {
        RequestLog.Set(http, "SeriesCount", spec.Series.Count);
        var job = queue.TrySubmit(name, spec);
        if (job is null)
        {
            http.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                title: "Training queue is full",
                detail: $"{options.Capacity} jobs are already waiting (TrainingQueue:Capacity). Retry after {options.RetryAfterSeconds} seconds.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }
        return TypedResults.Accepted($"/training-jobs/{job.Id}", ToResponse(job));
    }

    /// <param name="store">Job store.</param>
    /// <param name="model">Only jobs of this model.</param>
    /// <param name="status">Only jobs in this status: queued, running, succeeded, failed or cancelled.</param>
    /// <param name="limit">At most this many jobs (1..1000, default 100).</param>
    /// <param name="http">The request, whose next page a full page links to.</param>
    /// <param name="before">Only jobs submitted before this one: the id of the previous page's last job (its Link header's rel="next" gives it).</param>
    // limit's Range only writes its range into the OpenAPI document: the handler checks it (AddValidation, not called, would answer its own 400).
    public static Results<Ok<TrainingJobResponse[]>, ValidationProblem> ListJobs(
        TrainingJobStore store, HttpContext http, string? model = null, string? status = null, [System.ComponentModel.DataAnnotations.Range(1, 1000)] int limit = 100, Guid? before = null)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > 1000) errors.Add("limit", "Must be in 1..1000.");
        // A name no model can have matches nothing: say so rather than answer an empty list.
        if (model is not null && !Names.IsValid(model)) errors.Add("model", Names.Rule);
        TrainingJobStatus? filter = null;
        // Parsed here rather than bound as an enum so the names match the JSON ("succeeded") and a bad value is named.
        if (status is not null)
        {
            // Enum.TryParse reads "running,succeeded" (or ?status given twice) as flags, whose sum is another status.
            if (status.Contains(',', StringComparison.Ordinal)) errors.Add("status", "One status only (a list, or status given twice, is not taken): queued, running, succeeded, failed or cancelled.");
            else if (Enum.TryParse<TrainingJobStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _)) filter = parsed;
            else errors.Add("status", "Must be queued, running, succeeded, failed or cancelled.");
        }
        if (!errors.IsValid) return TypedResults.ValidationProblem(errors.ToDictionary());
        // One job more than the page, to know whether another page follows (a full last page had pointed to an empty one).
        if (store.List(model, filter, limit + 1, before) is not { } listed)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["before"] = [$"There is no job {before}: give the id of the last job of the page before."] });
        var page = listed.Take(limit).ToList();
        // More behind the page: the next one starts after its last job (RFC 8288's rel="next", as GitHub's API pages).
        if (listed.Count > limit)
        {
            var query = QueryString.Create(new Dictionary<string, string?> { ["model"] = model, ["status"] = status, ["limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture), ["before"] = page[^1].Id.ToString() }
                .Where(p => p.Value is not null));
            http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{query}>; rel=\"next\"";
        }
        return TypedResults.Ok(page.Select(j => ToResponse(j)).ToArray());
    }

    public static Results<Ok<TrainingJobResponse>, ProblemHttpResult> GetJob(Guid id, TrainingJobStore store) =>
        store.Get(id, includeLossCurve: true) is { } job ? TypedResults.Ok(ToResponse(job)) : JobNotFound(id);

    public static Results<Ok<TrainingJobResponse>, Accepted<TrainingJobResponse>, ProblemHttpResult> CancelJob(Guid id, TrainingQueue queue)
    {
        var (job, accepted) = queue.Cancel(id);
        if (job is null) return JobNotFound(id);
        if (!accepted)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Job already ended",
                detail: $"Training job {id} already {ToResponse(job).Status.ToString().ToLowerInvariant()}; only queued or running jobs can be cancelled.");
        return job.Status == TrainingJobStatus.Running
            ? TypedResults.Accepted($"/training-jobs/{id}", ToResponse(job))
            : TypedResults.Ok(ToResponse(job));
    }

    public static Results<ServerSentEventsResult<TrainingJobResponse>, NoContent, ProblemHttpResult> StreamJobEvents(
        Guid id, TrainingJobStore store, TrainingQueue queue, EventStreamGate gate, IOptions<TrainingQueueOptions> options,
        IHostApplicationLifetime lifetime, HttpContext http, CancellationToken cancellationToken)
    {
        if (store.Get(id) is not { } found) return JobNotFound(id);
        // A client that has the finished job's end event is told there is nothing more: EventSource stops on a 204, where
        // the end sent again would close the stream, and it would reconnect for it once more, without end.
        string? lastEventId = http.Request.Headers["Last-Event-ID"].FirstOrDefault();
        if (found.IsFinished && lastEventId == EventId(found)) return TypedResults.NoContent();
        // HEAD learns that the stream exists and what it would carry, and takes no stream's place.
        if (HttpMethods.IsHead(http.Request.Method)) return TypedResults.ServerSentEvents(AsyncEnumerable.Empty<SseItem<TrainingJobResponse>>());
        if (!gate.TryEnter(http))
        {
            RequestLog.MarkBackpressure(http);
            http.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many progress streams",
                detail: $"This process serves at most {options.Value.MaxEventStreams} progress streams at once ({TrainingQueueOptions.Section}:" +
                $"{nameof(TrainingQueueOptions.MaxEventStreams)}). Poll GET /training-jobs/{id} instead, or retry after {options.Value.RetryAfterSeconds} seconds.");
        }
        // A client reconnecting (EventSource does so by itself) sends the last id it saw: the state it already has is not sent again.
        return TypedResults.ServerSentEvents(Events(id, store, queue, lastEventId, http.Response, lifetime.ApplicationStopping, cancellationToken));
    }

    /// <summary>
    /// An event's id: the job's attempt, status and epoch, and the start of its run in Unix milliseconds once it has one
    /// ("1-running-7-1764849600000"). They change together with what a progress event says, so the id a reconnecting client
    /// sends names the state it has; the start tells a run that a shutdown put back in the queue (its attempt not counted)
    /// from the one before it, whose epochs it repeats.
    /// </summary>
    internal static string EventId(TrainingJobRecord job) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{job.Attempts}-{job.Status.ToString().ToLowerInvariant()}-{job.Epoch}{(job.StartedAt is { } started ? $"-{started.ToUnixTimeMilliseconds()}" : "")}");

    /// <summary>
    /// Ends when the job ends, the client goes, or the host begins to stop: the server waits for open requests while it
    /// stops, and a stream left open would hold shutdown for the whole timeout. Stopping, it says so last ('event: stopping'
    /// with the job as it was, and a reconnection delay), so a client tells a restart from a stream that merely broke; it
    /// reconnects after the restart and starts from the job's state then, or from the next change when its last event's id
    /// (<paramref name="lastEventId"/>) names that state. Every event carries an id (<see cref="EventId"/>).
    /// </summary>
    private static async IAsyncEnumerable<SseItem<TrainingJobResponse>> Events(
        Guid id, TrainingJobStore store, TrainingQueue queue, string? lastEventId, HttpResponse response, CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken requestAborted)
    {
        // The headers go now (the result has set them before reading the first event): a reconnection whose state is
        // unchanged sends no event until the next change, and its client must not wait that long to learn the stream is open.
        try { await response.Body.FlushAsync(requestAborted); }
        catch (Exception e) when (e is OperationCanceledException or IOException) { yield break; } // the client has gone
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, requestAborted);
        var cancellationToken = linked.Token;
        string? last = lastEventId;
        TrainingJobRecord? latest = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Take the change signal before reading, so a change between the read and the wait is not missed.
            var changed = queue.WaitForChangeAsync(id);
            TrainingJobRecord? job = null;
            var unreadable = false;
            // A database away for a moment pauses the stream (the read is tried again a second on) instead of cutting it
            // with a 500 mid-answer: the answer has begun, so there is nothing else to tell the client.
            try { job = store.Get(id); }
            catch (Exception e) when (TransientDatabaseErrors.Is(e)) { unreadable = true; }
            if (unreadable)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); }
                catch (OperationCanceledException) { break; }
                continue;
            }
            if (job is null) yield break;
            latest = job;
            if (job.IsFinished)
            {
                queue.Signal(id); // drops the signal taken above: nothing changes after the end
                yield return new SseItem<TrainingJobResponse>(ToResponse(job), "end") { EventId = EventId(job) };
                yield break;
            }
            if (last != EventId(job))
            {
                last = EventId(job);
                yield return new SseItem<TrainingJobResponse>(ToResponse(job), "progress") { EventId = last };
            }
            // The timeout is a safety net only; changes normally arrive through the signal.
            try { await changed.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken); }
            catch (TimeoutException) { }
            catch (OperationCanceledException) { break; }
        }
        if (stopping.IsCancellationRequested && !requestAborted.IsCancellationRequested && latest is not null)
            yield return new SseItem<TrainingJobResponse>(ToResponse(latest), "stopping") { EventId = EventId(latest), ReconnectionInterval = TimeSpan.FromSeconds(5) };
    }

    internal static ProblemHttpResult JobNotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Training job not found", detail: $"There is no training job {id}.");

    internal static TrainingJobResponse ToResponse(TrainingJobRecord job) => new(
        job.Id, job.Model, job.Status, job.Epoch, job.Epochs, job.TrainLoss, job.ValidationLoss, job.BestEpoch, job.Version, job.Error,
        job.CreatedAt, job.StartedAt, job.FinishedAt, job.UpdatedAt, LossCurveResponse.From(job.LossCurve), job.Attempts,
        job.CancelRequested && job.Status == TrainingJobStatus.Running);
}
