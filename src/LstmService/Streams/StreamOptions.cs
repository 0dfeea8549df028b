using System.ComponentModel.DataAnnotations;

namespace LstmService.Streams;

/// <summary>Streams and their monitoring. Section "Streams".</summary>
public sealed class StreamOptions
{
    public const string Section = "Streams";

    /// <summary>A stream not appended to (nor opened) for this many days is deleted with its scores and anomalies.</summary>
    [Range(1, 3650)]
    public int IdleDays { get; set; } = 30;

    /// <summary>Values one append may bring.</summary>
    [Range(1, 100_000)]
    public int MaxValuesPerAppend { get; set; } = 1000;

    /// <summary>Scored values the rolling metrics of a stream or a version are computed over (the most recent ones).</summary>
    [Range(1, 1_000_000)]
    public int MonitoringWindow { get; set; } = 1000;

    /// <summary>Anomalies listed with a stream (the most recent).</summary>
    [Range(1, 10_000)]
    public int ListedAnomalies { get; set; } = 50;

    /// <summary>The quantile levels bounding the anomaly interval.</summary>
    [Range(0.0001, 0.4999)]
    public double AnomalyLow { get; set; } = 0.01;

    [Range(0.5001, 0.9999)]
    public double AnomalyHigh { get; set; } = 0.99;

    /// <summary>
    /// Times an append re-reads a stream another request changed meanwhile before answering 409. Each retry means another
    /// append committed, so an append fails only when more than this many appends to the same stream commit while it runs.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConflictRetries { get; set; } = 100;

    /// <summary>Values a stream keeps as given, the most recent (its opening history's tail, then appended ones): a drifting version's challenger trains on them.</summary>
    [Range(1, 1_000_000)]
    public int RecentValues { get; set; } = 500;

}
