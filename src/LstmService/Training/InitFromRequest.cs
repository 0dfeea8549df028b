using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace LstmService.Training;

/// <summary>A training request's warm start: the version of the same model whose weights the new training continues from.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record InitFromRequest
{
    /// <summary>The parent version (a number of this model). Its architecture is kept: fields left out are inherited from it, and a field given with another value is refused.</summary>
    [Required]
    public int? Version { get; init; }
}
