using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LstmService.Training;

/// <summary>The training endpoints' OpenAPI extras: the long description, the example body and the CSV form of a job.</summary>
internal static class TrainingDocumentation
{
    public const string QueueTrainingJob =
        "Validates the series and hyperparameters, persists the job and queues it. The model is created on first use; " +
        "a successful job adds the next version. Omitted hyperparameters take the service's defaults. Answers 202 with the job and a " +
        "Location header to poll, 400 naming every bad field, 413 for a body over the limit and 429 with Retry-After when the queue is full.\n\n" +
        "**Defaults** (a request with only `series` and `horizon` gets them): seasons are detected (`seasonLength`), a positive series may " +
        "be modelled on the log scale (`transform`), and exponential smoothing, the theta method, an autoregression and a linear " +
        "autoregressive `highway` on the input window (`inputWindow`, chosen from the season) forecast it; an `ensemble` of 5 small " +
        "GRUs (`hiddenSize` units each; `cell: lstm` for LSTMs) learns to correct their mean (not on series with fewer than 200 training windows), training " +
        "stops early on the validation part, the forecasters are mixed by their validation errors (`statistics`), the mix's quantiles " +
        "are calibrated on its residuals (`calibrate`), everything is `refit` on all the data, and forecasts are clamped at zero when no " +
        "training value is negative (`nonNegative`; a history with a negative value in its window is then forecast unclamped, unless `nonNegative: true` was asked for); `upperBound` clamps them from above too (a percentage at 100, a share at 1). `search: true` first scores a few candidates (the other cell among them) by rolling-origin " +
        "cross-validation over `searchFolds` folds in time and keeps the best; " +
        "`strategy: recursive` forecasts one step at a time. GET /models/{name}/versions/{version} reports what was chosen and the " +
        "backtest against naive baselines.\n\n" +
        "**Covariates**: each series may carry `covariates`, named arrays aligned with `values` (the same names in every series), read " +
        "as extra inputs by the network and, through their recent changes, by the classical members (the version's " +
        "`architecture.statistics.covariates` lists those that lowered the validation error by more than one standard error). `futureCovariates` lists those known in " +
        "advance (calendar, planned prices): forecasts then supply their values over the horizon. Example series: " +
        "`{\"values\": [...], \"covariates\": {\"temperature\": [...]}}`.\n\n" +
        "**Time**: give the request's `frequency` (`monthly`, `hourly`, `30min`, `P1M`, ...) and a series' `start`, or a series' " +
        "`timestamps` (one per value, in any order: the values are sorted, the step is inferred, and a missing time becomes a missing " +
        "value). The frequency suggests the season when `seasonLength` is not given (monthly 12, quarterly 4, weekly 52, daily 7, " +
        "hourly 24 and 168, half-hourly 48 and 336, yearly none), and the version keeps it with each series' first and last time " +
        "(`timing`), so forecasts carry timestamps. A CSV's time column does the same.\n\n" +
        "**Classification**: `task: classification` trains a sequence classifier instead: each series needs a `label` (at least two " +
        "classes), sequences may differ in length, `validationSplit` (stratified or time) and `classWeights` (default balanced) apply, " +
        "forecasting's own fields are refused, and the version answers POST /models/{name}/classify with accuracy, macro-F1 and the " +
        "confusion matrix under metrics.classification. Example series: `{\"values\": [...], \"label\": \"up\"}`.\n\n" +
        "Two body formats: **application/json** (the series inline; null marks a missing value) or **multipart/form-data** with a CSV " +
        "file in the field `file` and the same hyperparameters as optional form fields (`horizon`, `inputWindow`, `epochs`, ...; lists " +
        "such as `quantiles` comma-separated), e.g. `curl -F file=@sunspots_yearly.csv -F horizon=10 .../models/sunspots/training-jobs`. " +
        "The CSV has a header row, a time column (the first column when it is named like date/time/week/year/timestamp or holds " +
        "text such as dates) and one or more numeric value columns; each value column becomes one series named after its header. " +
        "Empty cells, NaN and NA are missing values. `covariateColumns=temperature,price` makes those columns covariates of every other " +
        "value column instead of series. A file in long format, a row per id and time (`unique_id,ds,y`, `store,date,sales`: times " +
        "that repeat and a column of text ids), gives one series per id, on its own dates. A bad CSV answers 400 under `file`, naming the line and column.";

    /// <summary>A sine wave of period 12: trains in seconds with the defaults.</summary>
    public static readonly string Example = $$"""
        {
          "series": [ { "id": "sine", "values": [{{SineExample(72)}}] } ],
          "horizon": 6
        }
        """;

    /// <summary>The answer to a submit: the job as queued (GET /training-jobs/{id} follows it).</summary>
    public const string QueuedExample = """
        {
          "id": "7c1d4c9e-5b0a-4f51-9e43-2a8f3c6d1b27",
          "model": "my-model",
          "status": "queued",
          "epoch": 0,
          "epochs": 200,
          "trainLoss": null,
          "validationLoss": null,
          "bestEpoch": null,
          "version": null,
          "error": null,
          "createdAt": "2026-11-30T06:06:19.0561579+00:00",
          "startedAt": null,
          "finishedAt": null,
          "updatedAt": "2026-11-30T06:06:19.0561579+00:00",
          "attempts": 0
        }
        """;

    /// <summary>The demo job once it succeeded: 31 epochs (the best at 21), version 1 (losses rounded to 5 digits).</summary>
    public const string JobExample = """
        {
          "id": "2e3349fa-59b8-49d2-8a49-1e5647f4e067",
          "model": "sunspots",
          "status": "succeeded",
          "epoch": 31,
          "epochs": 200,
          "trainLoss": 2.4082,
          "validationLoss": 4.8431,
          "bestEpoch": 21,
          "version": 1,
          "error": null,
          "createdAt": "2026-11-30T06:03:43.6876617+00:00",
          "startedAt": "2026-11-30T06:03:43.9129592+00:00",
          "finishedAt": "2026-11-30T06:03:48.85645+00:00",
          "updatedAt": "2026-11-30T06:03:48.85645+00:00",
          "lossCurve": {
            "train": [3.9431, 3.815, 3.5442, 3.282, 3.2213, 3.1532, 3.154, 3.0381, 3.0421, 3.0225, 2.9159, 2.8943, 2.7937, 2.6972, 2.7435, 2.7024, 2.6371, 2.6615, 2.5938, 2.5897, 2.5438, 2.5318, 2.5156, 2.4915, 2.4729, 2.4617, 2.4628, 2.4305, 2.4193, 2.4616, 2.4082],
            "validation": [7.2132, 6.7668, 6.3873, 6.129, 5.9596, 5.8812, 5.8237, 5.7007, 5.5618, 5.4923, 5.3444, 5.2604, 5.1258, 4.978, 4.88, 4.8102, 4.7989, 4.7951, 4.7904, 4.7775, 4.7212, 4.7642, 4.7769, 4.8301, 4.817, 4.8138, 4.8229, 4.8158, 4.8166, 4.8365, 4.8431]
          },
          "attempts": 1
        }
        """;

    /// <summary>A queued job cancelled (200): the training example's job, queued behind another, ends at once without starting.</summary>
    public const string CancelledExample = """
        {
          "id": "309480e8-3470-4abf-9991-dd275844584f",
          "model": "my-model",
          "status": "cancelled",
          "epoch": 0,
          "epochs": 200,
          "trainLoss": null,
          "validationLoss": null,
          "bestEpoch": null,
          "version": null,
          "error": null,
          "createdAt": "2026-12-07T04:56:42.3521991+00:00",
          "startedAt": null,
          "finishedAt": "2026-12-07T04:56:46.6180154+00:00",
          "updatedAt": "2026-12-07T04:56:46.6180154+00:00",
          "attempts": 0
        }
        """;

    /// <summary>A running job asked to stop (202): still running until its current epoch ends, then cancelled (GET /training-jobs/{id}
    /// follows it). Its epochs, 118, are the request's 200 capped for its series' length (1,000 values).</summary>
    public const string CancellingExample = """
        {
          "id": "3ec8ee62-d068-4d86-a9f0-8553b874588f",
          "model": "my-model",
          "status": "running",
          "epoch": 30,
          "epochs": 118,
          "trainLoss": 0.3949,
          "validationLoss": 0.42086,
          "bestEpoch": null,
          "version": null,
          "error": null,
          "createdAt": "2026-12-07T04:56:42.3157283+00:00",
          "startedAt": "2026-12-07T04:56:42.3255361+00:00",
          "finishedAt": null,
          "updatedAt": "2026-12-07T04:56:46.3508485+00:00",
          "attempts": 1,
          "cancelRequested": true
        }
        """;

    /// <summary>A list of jobs leaves the loss curves out.</summary>
    public const string JobsExample = """
        [
          {
            "id": "2e3349fa-59b8-49d2-8a49-1e5647f4e067",
            "model": "sunspots",
            "status": "succeeded",
            "epoch": 31,
            "epochs": 200,
            "trainLoss": 2.4082,
            "validationLoss": 4.8431,
            "bestEpoch": 21,
            "version": 1,
            "error": null,
            "createdAt": "2026-11-30T06:03:43.6876617+00:00",
            "startedAt": "2026-11-30T06:03:43.9129592+00:00",
            "finishedAt": "2026-11-30T06:03:48.85645+00:00",
            "updatedAt": "2026-11-30T06:03:48.85645+00:00",
            "attempts": 1
          }
        ]
        """;

    /// <summary>The fields of a progress event (GET /training-jobs/{id}/events), one line each of the server-sent event.</summary>
    public static readonly IReadOnlyDictionary<string, string> ProgressEventFields = new Dictionary<string, string>
    {
        ["data"] = "The job as GET /training-jobs/{id} answers it.",
        ["eventType"] = "The event's name: progress (at each epoch and change of status), end (it ended: the last event), or stopping (the service stops; reconnect after the retry delay).",
        ["eventId"] = "The event's id (attempt-status-epoch, and the run's start in Unix milliseconds once it has one): sent back as Last-Event-ID on reconnecting, it skips that state.",
        ["reconnectionInterval"] = "The reconnection delay the event sets (retry: 5 seconds on stopping); null on the other events.",
    };

    /// <summary>A submit with two bad fields: each is named, with what to fix.</summary>
    public const string ProblemExample = """
        {
          "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
          "title": "One or more validation errors occurred.",
          "status": 400,
          "errors": {
            "horizon": ["Must be in 1..365; got 0."],
            "series[0].timestamps[2]": ["'2020-13' is not a time: use an ISO 8601 date or date-time such as 2020-01-31 or 2020-01-31T13:00:00Z, a week (2020-W05), a year (2020), a month (2020-01) or a quarter (2020-Q1)."]
          },
          "traceId": "00-e4f986f9cf030a72f116c708a0127683-175bcb8ba1bfc000-00"
        }
        """;

    /// <summary>
    /// Adds the CSV form to the operation: the file plus every field of <see cref="TrainingRequest"/> but the series, taken from
    /// its schema so the two bodies never drift apart. The form's own endpoint is left out of the document, so one operation shows both.
    /// </summary>
    public static async Task AddCsvFormAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody?.Content is not { } content) return;
        var request = await context.GetOrCreateSchemaAsync(typeof(TrainingRequest), cancellationToken: cancellationToken);
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            [TrainingUpload.FileField] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Format = "binary",
                Description = "CSV file: a header row, a time column (named like date/time/week/year/timestamp, or holding text such as dates) " +
                    "and one or more numeric value columns, one series each, named after the header; or long format, a row per id and time " +
                    "(store,date,sales), one series per id. Empty cells, NaN and NA are missing values.",
            },
        };
        foreach (var (name, schema) in request.Properties ?? new Dictionary<string, IOpenApiSchema>())
            if (name != "series" && !TrainingUpload.ClassificationOnly.Contains(name)) properties[name] = FormField(schema);
        // A CSV upload trains a forecaster: the form's task offers that alone (it had listed classification, which the form refuses).
        if (properties.TryGetValue("task", out var task) && task is OpenApiSchema { Enum.Count: > 0 } taskField)
            taskField.Enum = [.. taskField.Enum.Where(v => v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() == "forecasting")];
        properties[TrainingUpload.CovariateColumnsField] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Form only: comma-separated headers of value columns that are covariates of every other value column " +
                "(e.g. temperature,price; in long format each id's own) rather than series of their own. List those known in advance in futureCovariates.",
            Examples = [JsonValue.Create("")],
        };
        content["multipart/form-data"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { TrainingUpload.FileField },
                Properties = properties,
                Description = "A training job from a CSV file; the other fields are the JSON body's hyperparameters (lists such as quantiles " +
                    "and futureCovariates comma-separated), plus covariateColumns.",
            },
        };
    }

    /// <summary>
    /// A request field as a form field that Swagger UI leaves empty. Swagger UI fills each field with the schema's example, else
    /// with a sample made from its type (0, true, "string", a null option), and sends it as if the user had typed it, so the
    /// form as pre-filled would ask for a horizon of 0. An empty example leaves the field empty, and the service reads an empty
    /// field as not given; a form field is text, so it cannot be null either.
    /// </summary>
    private static IOpenApiSchema FormField(IOpenApiSchema schema)
    {
        if ((schema is OpenApiSchemaReference reference ? reference.Target : schema) is not OpenApiSchema source) return schema;
        var field = (OpenApiSchema)source.CreateShallowCopy();
        if (field.Type is { } type) field.Type = type & ~JsonSchemaType.Null;
        if (field.Enum is { Count: > 0 } values) field.Enum = [.. values.Where(v => v is not null && v.GetValueKind() != System.Text.Json.JsonValueKind.Null)];
        // An enum's schema (cell, scaling, strategy, transform, task) has no type: Swagger UI's form had shown "any".
        if (field.Type is null && field.Enum is { Count: > 0 }) field.Type = JsonSchemaType.String;
        field.Default = null;
        field.Examples = [field.Type == JsonSchemaType.Array ? new JsonArray() : JsonValue.Create("")];
        // Swagger UI draws a list's items with its component JsonSchema_<type>_<format> when they have a format, and has none
        // for number/double (a console warning, then a plain text box anyway): a form field is text, so the format says nothing.
        if (field.Items is OpenApiSchema { Format: not null } items)
        {
            var plain = (OpenApiSchema)items.CreateShallowCopy();
            plain.Format = null;
            field.Items = plain;
        }
        return field;
    }

    /// <summary>
    /// The CSV form's fields that have no description take the JSON body's: an enum's (cell, scaling, strategy, transform,
    /// task) reaches the body's property only as the document is finished, after the form was built from it, so Swagger UI's
    /// form had shown those five undescribed.
    /// </summary>
    public static Task DescribeCsvFormFieldsAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas?.TryGetValue(nameof(TrainingRequest), out var request) != true || request!.Properties is not { } described) return Task.CompletedTask;
        foreach (var path in document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>())
            foreach (var operation in path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
                if (operation.RequestBody?.Content?.TryGetValue("multipart/form-data", out var form) == true && form.Schema?.Properties is { } fields)
                    foreach (var (name, field) in fields)
                        if (field is OpenApiSchema { Description: null or "" } open && described.TryGetValue(name, out var body) && DescriptionOf(body) is { } text)
                            open.Description = text;
        return Task.CompletedTask;
    }

    /// <summary>A property's description: its own, or that of the branch of a nullable's oneOf or anyOf that carries one.</summary>
    private static string? DescriptionOf(IOpenApiSchema schema) =>
        schema.Description is { Length: > 0 } own ? own
        : (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Select(b => b.Description).FirstOrDefault(d => !string.IsNullOrEmpty(d));

    private static string SineExample(int n) =>
        string.Join(", ", Enumerable.Range(0, n).Select(t => Math.Round(10 + 5 * Math.Sin(2 * Math.PI * t / 12), 2).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// The events' answer as it is on the wire: text/event-stream's lines, each event's data a training job as JSON. The
    /// generator had described .NET's SseItem (eventType, eventId, a TimeSpan), which no client reads (a QA pass).
    /// </summary>
    public static Task DescribeEventStream(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            response.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/event-stream"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "Events separated by a blank line, each of 'id: <attempt>-<status>-<epoch>[-<run start>]', 'event: progress|end|stopping' " +
                            "and 'data: <the training job as JSON, as GET /training-jobs/{id} answers it>'; a stopping event also carries 'retry: <milliseconds>'.",
                    },
                    Example = JsonValue.Create("id: 1-running-3-1765130000000\nevent: progress\ndata: {\"id\":\"...\",\"model\":\"my-model\",\"status\":\"running\",\"epoch\":3,...}\n\n"),
                },
            };
        return Task.CompletedTask;
    }
}
