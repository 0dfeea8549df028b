using System.Text.Json;
using System.Text.Json.Serialization;

namespace LstmService.Forecasts;

/// <summary>
/// Source-generated JSON metadata for the forecast body and answer (the hot path), first in the HTTP JSON options'
/// resolver chain; the options (camelCase, strict numbers, no duplicate keys) are the service's, so the JSON is the same as without it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ForecastRequest))]
[JsonSerializable(typeof(ForecastResponse))]
internal sealed partial class ForecastJsonContext : JsonSerializerContext;
