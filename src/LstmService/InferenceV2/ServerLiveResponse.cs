using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>The protocol's <c>$live_server_response</c>.</summary>
public sealed record ServerLiveResponse([property: JsonPropertyName("live")] bool Live);
