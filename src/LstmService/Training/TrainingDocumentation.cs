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
        "LSTMs (`hiddenSize` units each) learns to correct their mean (not on series with fewer than 200 training windows), training " +
        "stops early on the validation part, the forecasters are mixed by their validation errors (`statistics`), the mix's quantiles " +
        "are calibrated on its residuals (`calibrate`), everything is `refit` on all the data, and forecasts are clamped at zero when no " +
        "training value is negative (`nonNegative`). `search: true` tries a few hyperparameter candidates first; " +
        "`strategy: recursive` forecasts one step at a time. GET /models/{name}/versions/{version} reports what was chosen and the " +
        "backtest against naive baselines.\n\n" +
        "**Covariates**: each series may carry `covariates`, named arrays aligned with `values` (the same names in every series), read " +
        "as extra inputs. `futureCovariates` lists those known in advance (calendar, planned prices): forecasts then supply their values " +
        "over the horizon. Example series: `{\"values\": [...], \"covariates\": {\"temperature\": [...]}}`.\n\n" +
        "Two body formats: **application/json** (the series inline; null marks a missing value) or **multipart/form-data** with a CSV " +
        "file in the field `file` and the same hyperparameters as optional form fields (`horizon`, `inputWindow`, `epochs`, ...; lists " +
        "such as `quantiles` comma-separated), e.g. `curl -F file=@sunspots_yearly.csv -F horizon=10 .../models/sunspots/training-jobs`. " +
        "The CSV has a header row, a time column (the first column when it is named like date/time/week/year/timestamp or holds " +
        "text such as dates) and one or more numeric value columns; each value column becomes one series named after its header. " +
        "Empty cells, NaN and NA are missing values. `covariateColumns=temperature,price` makes those columns covariates of every other " +
        "value column instead of series. A bad CSV answers 400 under `file`, naming the line and column.";

    /// <summary>A sine wave of period 12: trains in seconds with the defaults.</summary>
    public static readonly string Example = $$"""
        {
          "series": [ { "id": "sine", "values": [{{SineExample(72)}}] } ],
          "horizon": 6
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
                    "and one or more numeric value columns, one series each, named after the header. Empty cells, NaN and NA are missing values.",
            },
        };
        foreach (var (name, schema) in request.Properties ?? new Dictionary<string, IOpenApiSchema>())
            if (name != "series") properties[name] = schema;
        properties[TrainingUpload.CovariateColumnsField] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Form only: comma-separated headers of value columns that are covariates of every other value column " +
                "(e.g. temperature,price) rather than series of their own. List those known in advance in futureCovariates.",
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

    private static string SineExample(int n) =>
        string.Join(", ", Enumerable.Range(0, n).Select(t => Math.Round(10 + 5 * Math.Sin(2 * Math.PI * t / 12), 2).ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
