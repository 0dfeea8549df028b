using LstmService.Forecasts;

namespace LstmService.InferenceV2;

/// <summary>The v2 endpoints' OpenAPI description and examples (the GET answers as the demo model's service gave them, 2026-12-07).</summary>
internal static class InferenceV2Documentation
{
    public const string InferDescription =
        "An Open Inference Protocol $inference_request: the FP32 input 'history' of shape [batch, length] (data flat or nested, row-major), each row a " +
        "series' past values, at least the version's inputWindow (two periods from the first observed value where the theta method alone repeats its season); null marks a missing value (JSON has no NaN; trailing ones are forecast through, up to the larger of the inputWindow and 4 × the horizon, and at most half of the window before them may be missing). " +
        "Rows of different lengths: pad them at the end and give the INT32 input 'lengths' [batch], each row's values before its padding. A model with " +
        "covariates reads `covariates.NAME` (FP32, the shape of history) and, for those known in advance, `future_covariates.NAME` (FP32 [batch, steps]); " +
        "the model's metadata lists them. parameters.horizon asks for fewer steps than the version's horizon. The answer is an $inference_response with FP32 " +
        "outputs 'mean' and `quantile_LEVEL` (e.g. quantile_0.1) of shape [batch, steps], all of them or those named in 'outputs'. Errors are {\"error\": \"...\"}: " +
        "400 for a bad request (naming the tensor, row and element), 404 for an unknown model, version or alias, 409 when the version's weights are missing or altered. " +
        "The example runs against the demo model 'sunspots' that the service trains on its first start.";

    /// <summary>The forecast endpoint's example as tensors: the sunspot numbers 1949-2008, ten steps, against the demo model.</summary>
    public const string Example = $$"""
        {
          "id": "42",
          "parameters": { "horizon": 10 },
          "inputs": [
            { "name": "history", "shape": [1, 60], "datatype": "FP32", "data": [{{ForecastDocumentation.SunspotsHistory}}] }
          ],
          "outputs": [ { "name": "mean" }, { "name": "quantile_0.1" }, { "name": "quantile_0.9" } ]
        }
        """;

    /// <summary>The demo model's answer to <see cref="Example"/> as the service gave it (numbers rounded to 5 digits); the forecast endpoint answers the same numbers.</summary>
    public const string ResponseExample = """
        {
          "model_name": "sunspots",
          "model_version": "1",
          "id": "42",
          "outputs": [
            { "name": "mean", "shape": [1, 10], "datatype": "FP32", "data": [25.203, 62.197, 91.838, 98.393, 88.025, 70.262, 39.536, 18.922, 4.3511, 0] },
            { "name": "quantile_0.1", "shape": [1, 10], "datatype": "FP32", "data": [0, 11.274, 22.126, 16.457, 0, 0, 0, 0, 0, 0] },
            { "name": "quantile_0.9", "shape": [1, 10], "datatype": "FP32", "data": [63.48, 135.3, 200.79, 228.82, 244.36, 253.91, 228.35, 195.3, 197.52, 225.8] }
          ]
        }
        """;

    /// <summary>Too many steps from too short a history (the answer of the forecast example's bad case, in the protocol's terms).</summary>
    public const string ErrorExample = """
        { "error": "parameters.horizon: Must be in 1..10 (this version's horizon); got 12. history[0]: Too short: 3 values, but this version's inputWindow is 31." }
        """;

    /// <summary>GET /v2: the server's name and version; no protocol extensions.</summary>
    public const string ServerMetadataExample = """
        { "name": "lstmservice", "version": "1.0.0", "extensions": [] }
        """;

    /// <summary>GET /v2/health/live.</summary>
    public const string ServerLiveExample = """
        { "live": true }
        """;

    /// <summary>GET /v2/health/ready while /health/ready is healthy.</summary>
    public const string ServerReadyExample = """
        { "ready": true }
        """;

    /// <summary>The demo model's metadata (version 1, the newest on a fresh start): history and lengths in, mean and three quantiles of horizon 10 out.</summary>
    public const string ModelMetadataExample = """
        {
          "name": "sunspots",
          "versions": ["1"],
          "platform": "lstmservice_lstm",
          "inputs": [
            { "name": "history", "datatype": "FP32", "shape": [-1, -1] },
            { "name": "lengths", "datatype": "INT32", "shape": [-1] }
          ],
          "outputs": [
            { "name": "mean", "datatype": "FP32", "shape": [-1, 10] },
            { "name": "quantile_0.1", "datatype": "FP32", "shape": [-1, 10] },
            { "name": "quantile_0.5", "datatype": "FP32", "shape": [-1, 10] },
            { "name": "quantile_0.9", "datatype": "FP32", "shape": [-1, 10] }
          ]
        }
        """;

    /// <summary>The demo model's readiness: its weights load.</summary>
    public const string ModelReadyExample = """
        { "name": "sunspots", "ready": true }
        """;
}
