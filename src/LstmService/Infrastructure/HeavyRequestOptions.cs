using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>
/// How many memory-heavy requests run at once. Section "HeavyRequests". Heavy are training submits, version registrations
/// and forecasts whose body is over <see cref="ForecastBodyBytes"/> (or of unknown length): each can hold up to
/// RequestLimits:MaxBodyBytes of parsed input, so a few at once, not their number, decide the process's peak memory.
/// </summary>
public sealed class HeavyRequestOptions
{
    public const string Section = "HeavyRequests";

    /// <summary>Heavy requests served at the same time; one more answers 503 with Retry-After. 0 switches the limit off.</summary>
    [Range(0, 10_000)]
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>A forecast body larger than this (or sent without Content-Length) counts as heavy; smaller ones never wait.</summary>
    [Range(0, long.MaxValue)]
    public long ForecastBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The Retry-After a refused heavy request is given.</summary>
    [Range(1, 3_600)]
    public int RetryAfterSeconds { get; set; } = 2;
}
