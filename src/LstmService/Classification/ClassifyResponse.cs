namespace LstmService.Classification;

/// <summary>The answer of POST /models/{name}/classify.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">The version that classified.</param>
/// <param name="Classes">The version's class labels, in the order of its outputs.</param>
/// <param name="Results">One per sequence, in request order.</param>
public sealed record ClassifyResponse(string Model, int Version, IReadOnlyList<string> Classes, IReadOnlyList<SequenceClassificationResponse> Results);
