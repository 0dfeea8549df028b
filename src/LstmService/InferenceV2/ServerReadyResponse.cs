using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>The protocol's <c>$ready_server_response</c> (the specification's text names the field "live", a typo KServe's servers answer as "ready").</summary>
/// <param name="Ready">True while /health/ready passes; false (with 503) when it fails.</param>
public sealed record ServerReadyResponse([property: JsonPropertyName("ready")] bool Ready);
