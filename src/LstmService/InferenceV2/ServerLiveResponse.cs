using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>The protocol's <c>$live_server_response</c>.</summary>
/// <param name="Live">Always true: the process answers.</param>
public sealed record ServerLiveResponse([property: JsonPropertyName("live")] bool Live);
