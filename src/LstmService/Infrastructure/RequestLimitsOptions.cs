using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>Request-wide limits. Section "RequestLimits".</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "RequestLimits";

    /// <summary>Largest accepted request body; larger bodies answer 413.</summary>
    [Range(typeof(long), "1024", "9223372036854775807")]
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;
}
