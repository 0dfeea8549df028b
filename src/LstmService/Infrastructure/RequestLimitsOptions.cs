using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>Request-wide limits. Section "RequestLimits".</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "RequestLimits";

    /// <summary>Largest accepted request body; larger bodies answer 413.</summary>
    [Range(1_024, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;
}
