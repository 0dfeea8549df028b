using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>
/// How many memory-heavy requests run at once. Section "HeavyRequests". Heavy are training submits, version registrations
/// and forecasts, classifications, inferences and stream bodies over <see cref="ForecastBodyBytes"/> (or of unknown length): each can hold up to
/// RequestLimits:MaxBodyBytes of parsed input, so a few at once, not their number, decide the process's peak memory.
/// </summary>
public sealed class HeavyRequestOptions
{
    public const string Section = "HeavyRequests";

    /// <summary>Heavy requests served at the same time; one more answers 503 with Retry-After. 0 switches the limit off.</summary>
    [Range(0, 10_000)]
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>A forecast, classification, inference or stream body larger than this (or sent without Content-Length) counts as heavy; smaller ones never wait.</summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long ForecastBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The slowest a heavy request's body may arrive once it holds a slot, in bytes a second after a 5 s grace period;
    /// slower, Kestrel ends it with 408. Kestrel's own floor (240 B/s) let a client trickling a 100 KB body hold a slot for
    /// minutes, and four such clients every slot. 0 keeps Kestrel's floor.
    /// </summary>
    [Range(0, 1L << 30)]
    public long MinBodyBytesPerSecond { get; set; } = 64 * 1024;

    /// <summary>The Retry-After a refused heavy request is given.</summary>
    [Range(1, 3_600)]
    public int RetryAfterSeconds { get; set; } = 2;
}
