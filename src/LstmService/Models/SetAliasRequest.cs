using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace LstmService.Models;

/// <summary>Body of PUT /models/{name}/aliases/{alias}.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SetAliasRequest
{
    /// <summary>Version the alias points to.</summary>
    [Required]
    public int? Version { get; init; }
}
