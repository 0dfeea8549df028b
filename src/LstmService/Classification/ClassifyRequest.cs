using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace LstmService.Classification;

/// <summary>Body of POST /models/{name}/classify: sequences to classify, of any lengths, as one batch.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ClassifyRequest
{
    /// <summary>The sequences; each gets its class probabilities and predicted label.</summary>
    [Required]
    public IReadOnlyList<ClassifySequenceInput>? Sequences { get; init; }
}
