using System.Globalization;
using LstmService.Registry;
using LstmService.Streams;
using LstmService.Training;
using Microsoft.Extensions.Options;

namespace LstmService.Drift;

/// <summary>
/// The drift rule, run after each append: a version whose online MASE over its latest Monitoring:DriftObservations scored
/// values exceeds its backtest MASE by Monitoring:DriftFactor is flagged once. With Monitoring:AutoRetrain the flag queues
/// one warm start of the version (a challenger) on its streams' recent values, less the last Monitoring:ComparisonValues
/// of each, which <see cref="ChallengerReview"/> compares both versions on when the challenger is trained.
/// </summary>
public sealed class DriftMonitor(IOptions<DriftOptions> options, StreamStore streams, VersionEventStore events, TrainingQueue queue,
    TimeProvider time, ILogger<DriftMonitor> logger)
{
    // Versions whose retrain decision is recorded (by this process or read back): a drifting version's every append had
    // otherwise read its decisions again to learn that a challenger was no longer waiting.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Model, int Version), byte> _decided = new();

    /// <summary>Online MASE above which a version whose backtest MASE was 0 drifts: rounding, not a change of the series, below it.</summary>
    public const double PerfectBacktestTolerance = 1e-6;

    /// <summary>Why the drift rule cannot judge <paramref name="version"/>, or null when it can.</summary>
    public static string? NotJudged(VersionRecord version) => version.Metrics?.Backtest?.Model.Mase is { } mase && mase >= 0 ? null
        : "This version has no backtest to compare its online accuracy with (registered from a state_dict, or its validation part was too short): drift is not flagged.";

    /// <summary>Checks <paramref name="version"/> after values were scored against its forecasts; records and acts on a new drift.</summary>
    public void AfterAppend(VersionRecord version)
    {
        var o = options.Value;
        if (version.Metrics?.Backtest?.Model.Mase is not { } backtest || !(backtest >= 0)) return; // nothing to compare with
        var scores = streams.VersionScores(version.Model, version.Version, o.DriftObservations);
        if (scores.Count < o.DriftObservations) return;
        double online = scores.Average(s => s.ScaledError);
        // A perfect backtest (MASE 0: a constant series forecast exactly) makes any error beyond float rounding a drift; the
        // ratio is then unbounded and not stated (it had been a division by zero that never flagged).
        double? ratio = backtest > 0 ? online / backtest : null;
        if (ratio is { } r ? !(r > o.DriftFactor) : !(online > PerfectBacktestTolerance)) return;
        var now = time.GetUtcNow();
        var drift = new VersionDecision
        {
            Kind = "drift", At = now, Ratio = ratio, Observations = scores.Count, OnlineMase = online, BacktestMase = backtest,
            Summary = ratio is { } times
                ? string.Create(CultureInfo.InvariantCulture,
                    $"Online MASE {online:G4} over the latest {scores.Count} scored values is {times:G4} times the backtest's {backtest:G4} (factor {o.DriftFactor}).")
                : string.Create(CultureInfo.InvariantCulture,
                    $"Online MASE {online:G4} over the latest {scores.Count} scored values, where the backtest's was 0: the version forecast its backtest exactly."),
        };
        if (!events.TryAdd(version.Model, version.Version, drift))
        {
            // Flagged before, by this or another replica: a challenger still waiting for its streams to be long enough is
            // tried again as values arrive.
            if (!o.AutoRetrain || _decided.ContainsKey((version.Model, version.Version))) return;
            if (events.List(version.Model, version.Version).Any(d => d.Kind == "retrain")) _decided.TryAdd((version.Model, version.Version), 0);
            else Retrain(version, now);
            return;
        }
        if (ratio is not null)
            logger.LogWarning("Version {Version} of model {Model} drifts: online MASE {Online:G4} over the latest {Observations} scored values is {Ratio:G4} times the backtest's {Backtest:G4} (factor {DriftFactor})",
                version.Version, version.Model, online, scores.Count, ratio, backtest, o.DriftFactor);
        else
            logger.LogWarning("Version {Version} of model {Model} drifts: online MASE {Online:G4} over the latest {Observations} scored values, where its backtest's was 0",
                version.Version, version.Model, online, scores.Count);
        if (o.AutoRetrain) Retrain(version, now);
    }

    void Retrain(VersionRecord version, DateTimeOffset now)
    {
        var o = options.Value;
        var open = streams.VersionStreams(version.Model, version.Version);
        var recent = open.Select(s => (s.Document.Recent ?? s.Document.LastValues).Select(x => x is { } v ? (double?)v : null).ToArray()).ToList();
        // A stream trains the challenger once it holds a window and a horizon of observed values before those compared on:
        // a shorter one had failed the whole job ("Too short"), and the one decision a drift takes was spent on it.
        int needed = version.InputWindow + version.Horizon;
        bool LongEnough(double?[] r) => r.Length > o.ComparisonValues && r[..^o.ComparisonValues].Count(v => v is not null) >= needed;
        var aliases = open.Select(s => s.Document.Alias).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var decision = new VersionDecision
        {
            Kind = "retrain", At = now, Champion = version.Version, Streams = open.Select(s => s.Id).ToList(), Recent = recent, Holdout = o.ComparisonValues,
            SeriesIds = open.Select(s => (string?)s.SeriesId).ToList(), Alias = aliases.Count == 1 ? aliases[0] : null,
        };
        string? problem = version.Architecture.Covariates is { Count: > 0 } ? "the version reads covariates, which streams do not keep"
            : aliases.Count > 1 ? $"its streams were opened through several aliases ({string.Join(", ", aliases)})"
            // Trained with the bound it would refuse those values; without it, it would drop what the version was asked to keep.
            : version.Training?.UpperBound is { } bound && recent.Any(r => r.Any(v => v > bound))
                ? $"a stream's value lies above the version's upperBound {bound.ToString(System.Globalization.CultureInfo.InvariantCulture)}: train a version with another bound"
            : null;
        if (problem is null && !recent.Any(LongEnough)) return; // no decision yet: the next values may make a stream long enough
        if (problem is not null)
        {
            events.TryAdd(version.Model, version.Version, decision with { Recent = null, SeriesIds = null, Summary = $"No challenger: {problem}." });
            _decided.TryAdd((version.Model, version.Version), 0);
            return;
        }
        var settings = (version.Training ?? new TrainingSettings()) with
        {
            InputWindow = version.InputWindow, Horizon = version.Horizon, Transform = version.Architecture.Transform, Epochs = o.RetrainEpochs,
            // The parent's series times stay: a history of series "a" is dated as the parent dated it (it had lost them).
            ParentVersion = version.Version, Search = false, Timing = version.Training?.Timing,
        };
        // Each under its stream's series id, so the challenger keeps that series' own interval scales; two streams of one
        // series train without an id (a made-up one could name another series).
        var trained = open.Zip(recent).Where(p => LongEnough(p.Second)).ToList();
        var shared = trained.GroupBy(p => p.First.SeriesId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var series = trained.Select(p => new StoredSeries(shared.Contains(p.First.SeriesId) ? null : p.First.SeriesId, p.Second[..^o.ComparisonValues])).ToList();
        // The decision names the job before it is queued, so the review finds it however fast the job trains.
        decision = decision with
        {
            JobId = Guid.NewGuid(),
            Summary = $"Challenger queued: a warm start of version {version.Version} on {series.Count} streams' recent values, the last {o.ComparisonValues} of each kept for the comparison.",
        };
        _decided.TryAdd((version.Model, version.Version), 0); // recorded here, or just before by another replica
        if (!events.TryAdd(version.Model, version.Version, decision)) return;
        if (queue.TrySubmit(version.Model, new TrainingJobSpec(settings, series), decision.JobId) is null)
            events.Update(version.Model, version.Version, decision with { JobId = null, Summary = "No challenger: the training queue was full (TrainingQueue:Capacity)." });
    }
}
