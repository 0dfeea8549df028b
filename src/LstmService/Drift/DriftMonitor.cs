using System.Globalization;
using LstmService.Registry;
using LstmService.Streams;
using LstmService.Training;
using Microsoft.Extensions.Options;

namespace LstmService.Drift;

/// <summary>
/// The drift rule, run after each append: a version whose online MASE over its newest Monitoring:DriftObservations x horizon
/// scores (that many values appended one at a time, each at every step it was forecast at) exceeds its backtest MASE by
/// Monitoring:DriftFactor is flagged, opening a drift episode. With Monitoring:AutoRetrain
/// the flag queues one warm start of the version (a challenger) on its streams' recent values, less the last
/// Monitoring:ComparisonValues of each, which <see cref="ChallengerReview"/> compares both versions on when the challenger is
/// trained. The episode clears when a full window of values scored after the flag is back within the factor (a typo that
/// flagged it has left the window) or when its challenger loses; the rule then judges the version again on later values.
/// </summary>
public sealed class DriftMonitor(IOptions<DriftOptions> options, IOptions<StreamOptions> streamOptions, StreamStore streams, VersionEventStore events,
    TrainingQueue queue, TrainingJobStore jobs, TimeProvider time, ILogger<DriftMonitor> logger)
{
    // Each open episode's challenger job, and when its status was last read: appends look at it at most once a second, to
    // clear the episode of a challenger that will never be reviewed (its job failed or was cancelled).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Model, int Version, int Episode), (Guid Job, long LookedAt)> _queued = new();

    // Episodes whose retrain decision is recorded (by this process or read back): a drifting version's every append had
    // otherwise read its decisions again to learn that a challenger was no longer waiting.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Model, int Version, int Episode), byte> _decided = new();

    /// <summary>Online MASE above which a version whose backtest MASE was 0 drifts: rounding, not a change of the series, below it.</summary>
    public const double PerfectBacktestTolerance = 1e-6;

    /// <summary>Why the drift rule cannot judge <paramref name="version"/>, or null when it can.</summary>
    public static string? NotJudged(VersionRecord version) => version.Metrics?.Backtest?.Model.Mase is { } mase && mase >= 0 ? null
        : "This version has no backtest to compare its online accuracy with (registered from a state_dict, or its validation part was too short): drift is not flagged.";

    /// <summary>Checks <paramref name="version"/> after values were scored against its forecasts; records and acts on a drift that starts or ends.</summary>
    public void AfterAppend(VersionRecord version)
    {
        var o = options.Value;
        if (version.Metrics?.Backtest?.Model.Mase is not { } backtest || !(backtest >= 0)) return; // nothing to compare with
        var episode = events.LatestEpisode(version.Model, version.Version);
        // Each judgment reads values scored after the last one that changed the episode's state, so a flag is cleared (or a
        // cleared version flagged again) on a full window of new evidence, not on the scores that decided before.
        long after = episode?.ScoresThrough ?? 0;
        var window = Window(version, after);
        var (judged, online, ratio, drifting) = Judge(window, version, backtest);
        // A decision's window is read once more with its values counted, and judged on that reading alone (a score stored in
        // between would otherwise be counted beside a MASE that did not read it).
        if (episode is { Open: true } ? judged && !drifting : drifting)
            (judged, online, ratio, drifting) = Judge(window = Window(version, after, countValues: true), version, backtest);
        var now = time.GetUtcNow();
        if (episode is { Open: true } open)
        {
            if (judged && !drifting) Clear(version, open, now, online, ratio, backtest, window);
            else Pending(version, open.Number, now);
            return;
        }
        if (!drifting) return;
        int number = (episode?.Number ?? 0) + 1;
        var drift = new VersionDecision
        {
            Kind = "drift", Episode = number, At = now, Ratio = ratio, Observations = window.Values, Scores = window.Scores, OnlineMase = online,
            BacktestMase = backtest, ScoresThrough = window.NewestSeq,
            Summary = ratio is { } times
                ? string.Create(CultureInfo.InvariantCulture,
                    $"Online MASE {SummaryNumber.Of(online)} over the latest {Latest(window)} is {SummaryNumber.Of(times)} times the backtest's {SummaryNumber.Of(backtest)} (factor {o.DriftFactor}).")
                : string.Create(CultureInfo.InvariantCulture,
                    $"Online MASE {SummaryNumber.Of(online)} over the latest {Latest(window)}, where the backtest's was 0: the version forecast its backtest exactly."),
        };
        if (!events.TryAdd(version.Model, version.Version, drift))
        {
            // Flagged just before by another append or replica: a challenger still waiting for its streams to be long enough
            // is tried again as values arrive.
            Pending(version, number, now);
            return;
        }
        if (ratio is not null)
            logger.LogWarning("Version {Version} of model {Model} drifts: online MASE {Online:G4} over the latest {Observations} values ({Scores} scores) is {Ratio:G4} times the backtest's {Backtest:G4} (factor {DriftFactor})",
                version.Version, version.Model, online, window.Values, window.Scores, ratio, backtest, o.DriftFactor);
        else
            logger.LogWarning("Version {Version} of model {Model} drifts: online MASE {Online:G4} over the latest {Observations} values ({Scores} scores), where its backtest's was 0",
                version.Version, version.Model, online, window.Values, window.Scores);
        if (o.AutoRetrain) Retrain(version, now, number);
    }

    /// <summary>
    /// The rule's window: the version's newest Monitoring:DriftObservations x horizon scores stored after seq
    /// <paramref name="after"/> (the last decision's; 0 for all), which are the latest Monitoring:DriftObservations values
    /// appended one at a time, each at every step it was forecast at, as the backtest's MASE averages every step. Counted in
    /// scores alone, the rule had read the last two values at a horizon of 12 and flagged one surprising value (a QA pass saw
    /// "Drifting" after six values of the training series' own generator). The monitoring endpoint reads it as the rule does.
    /// </summary>
    public ScoreWindow Window(VersionRecord version, long after, bool countValues = false) =>
        streams.VersionScoreWindow(version.Model, version.Version, WindowSize(version), after, countValues);

    /// <summary>The scores the rule's window of <paramref name="version"/> holds when full: Monitoring:DriftObservations x its horizon.</summary>
    public int WindowSize(VersionRecord version) => ScoreWindow.Size(options.Value.DriftObservations, version.Horizon);

    /// <summary>Whether <paramref name="window"/> is full, and its online MASE, ratio to the backtest's and whether that drifts.</summary>
    (bool Judged, double Online, double? Ratio, bool Drifting) Judge(ScoreWindow window, VersionRecord version, double backtest)
    {
        var o = options.Value;
        bool judged = window.Scores >= WindowSize(version);
        double online = judged ? window.Mase : 0;
        // A perfect backtest (MASE 0: a constant series forecast exactly) makes any error beyond float rounding a drift; the
        // ratio is then unbounded and not stated (it had been a division by zero that never flagged).
        double? ratio = backtest > 0 ? online / backtest : null;
        return (judged, online, ratio, judged && (ratio is { } r ? r > o.DriftFactor : online > PerfectBacktestTolerance));
    }

    /// <summary>"10 values (30 scores)": what a decision's window read (counted: <see cref="Window"/> with its values).</summary>
    static string Latest(ScoreWindow window) =>
        $"{window.Values} {(window.Values == 1 ? "value" : "values")} ({window.Scores} {(window.Scores == 1 ? "score" : "scores")})";

    void Clear(VersionRecord version, DriftEpisode episode, DateTimeOffset now, double online, double? ratio, double backtest, ScoreWindow window)
    {
        var cleared = new VersionDecision
        {
            Kind = "cleared", Episode = episode.Number, At = now, Ratio = ratio, Observations = window.Values, Scores = window.Scores, OnlineMase = online,
            BacktestMase = backtest, ScoresThrough = window.NewestSeq,
            Summary = string.Create(CultureInfo.InvariantCulture, $"Online MASE {SummaryNumber.Of(online)} over the latest {Latest(window)} scored since the flag ")
                + (ratio is { } times ? string.Create(CultureInfo.InvariantCulture, $"is {SummaryNumber.Of(times)} times the backtest's {SummaryNumber.Of(backtest)}, within the factor {options.Value.DriftFactor}")
                    : "is within rounding of the backtest's 0") + ": the drift has cleared.",
        };
        if (!events.TryAdd(version.Model, version.Version, cleared)) return; // cleared just before, here or by another replica
        logger.LogInformation("Version {Version} of model {Model} no longer drifts: {Summary}", version.Version, version.Model, cleared.Summary);
    }

    /// <summary>"its stream", "its 2 streams", or "1 of its 2 streams" (the others too short, or not grown since the last challenger).</summary>
    static string Streams(int trained, int open) =>
        trained == open ? (open == 1 ? "its stream" : $"its {open} streams")
            : $"{trained} of its {open} streams (the others hold too few values, or too few since the last challenger)";

    /// <summary>
    /// An open episode's challenger: queued once a stream can train it (each append tries again until then); a job that ends
    /// without a version (failed, cancelled, deleted with its model) clears the episode, so a drift that goes on is flagged
    /// again and gets another try.
    /// </summary>
    void Pending(VersionRecord version, int episode, DateTimeOffset now)
    {
        var key = (version.Model, version.Version, episode);
        if (!options.Value.AutoRetrain || _decided.ContainsKey(key)) return;
        if (!_queued.TryGetValue(key, out var queued))
        {
            var retrain = events.List(version.Model, version.Version).LastOrDefault(d => d.Kind == "retrain" && d.Episode == episode);
            if (retrain is null) { Retrain(version, now, episode); return; }
            if (retrain.JobId is not { } id) { _decided.TryAdd(key, 0); return; } // no challenger, and the decision says why
            queued = (id, 0);
        }
        long tick = Environment.TickCount64;
        if (tick - queued.LookedAt < 1000) return;
        _queued[key] = (queued.Job, tick);
        string? ended = jobs.Get(queued.Job) switch
        {
            null => "lost its job (deleted with its model)",
            { Status: TrainingJobStatus.Failed } failed => $"ended failed ({failed.Error})",
            { Status: TrainingJobStatus.Cancelled } => "was cancelled",
            { Status: TrainingJobStatus.Succeeded } => "", // its review decides, and clears the episode if it lost
            _ => null, // queued or running
        };
        if (ended is null) return;
        _decided.TryAdd(key, 0);
        _queued.TryRemove(key, out _);
        if (ended.Length > 0) ClearUncompared(version.Model, version.Version, episode, now, $"The challenger {ended}");
    }

    /// <summary>
    /// Closes an episode that no comparison of scores ends (its challenger lost, or will never be compared), so that a drift
    /// that goes on is flagged again on the values scored from now on. <paramref name="tail"/> ends the summary.
    /// </summary>
    public void ClearUncompared(string model, int version, int episode, DateTimeOffset now, string why, string tail = ".")
    {
        var cleared = new VersionDecision
        {
            Kind = "cleared", Episode = episode, At = now, ScoresThrough = streams.NewestScore(model, version),
            Summary = $"{why}: the drift rule judges version {version} again on values scored from now on{tail}",
        };
        if (events.TryAdd(model, version, cleared))
            logger.LogInformation("Version {Version} of model {Model}: {Summary}", version, model, cleared.Summary);
    }

    void Retrain(VersionRecord version, DateTimeOffset now, int episode)
    {
        var o = options.Value;
        var open = streams.VersionStreams(version.Model, version.Version);
        var recent = open.Select(s => (s.Document.Recent ?? s.Document.LastValues).Select(x => x is { } v ? (double?)v : null).ToArray()).ToList();
        // A stream trains the challenger once it holds a window and a horizon of observed values before those compared on:
        // a shorter one had failed the whole job ("Too short"), and the one decision a drift takes was spent on it.
        int needed = version.InputWindow + version.Horizon;
        bool LongEnough(double?[] r) => r.Length > o.ComparisonValues && r[..^o.ComparisonValues].Count(v => v is not null) >= needed;
        // After a challenger that lost, the next trains on the values that one was compared on: a stream waits until it has
        // grown by Monitoring:ComparisonValues since (a challenger queued at once had trained on what the last one had).
        var earlier = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var last in events.List(version.Model, version.Version).Where(d => d.Kind == "retrain" && d.JobId is not null && d.Lengths is not null))
            foreach (var (stream, length) in last.Streams!.Zip(last.Lengths!)) earlier[stream] = length;
        bool Grown(StreamRecord s) => !earlier.TryGetValue(s.Id, out var before) || s.Length - o.ComparisonValues >= before;
        var usable = open.Zip(recent).Select(p => Grown(p.First) && LongEnough(p.Second)).ToList();
        var aliases = open.Select(s => s.Document.Alias).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var decision = new VersionDecision
        {
            Kind = "retrain", Episode = episode, At = now, Champion = version.Version, Streams = open.Select(s => s.Id).ToList(), Recent = recent, Holdout = o.ComparisonValues,
            SeriesIds = open.Select(s => (string?)s.SeriesId).ToList(), Alias = aliases.Count == 1 ? aliases[0] : null, Lengths = open.Select(s => s.Length).ToList(),
        };
        int queued = events.Challengers(version.Model, version.Version);
        string? problem = version.Architecture.Covariates is { Count: > 0 } ? "the version reads covariates, which streams do not keep"
            : queued >= o.MaxChallengers ? $"this version's drifts have already queued Monitoring:MaxChallengers ({o.MaxChallengers}) challengers"
            : aliases.Count > 1 ? $"its streams were opened through several aliases ({string.Join(", ", aliases)})"
            // A stream keeps its last Streams:RecentValues values: a long window never fits before the compared ones, and the
            // flag had waited for a stream long enough without a word (an operator QA pass: an input window of 480).
            : needed + o.ComparisonValues > streamOptions.Value.RecentValues
                ? $"a stream keeps its last Streams:RecentValues ({streamOptions.Value.RecentValues}) values, fewer than the version's window and horizon ({needed}) " +
                    $"and the Monitoring:ComparisonValues ({o.ComparisonValues}) a challenger needs"
            // Trained with the bound it would refuse those values; without it, it would drop what the version was asked to keep.
            : version.Training?.UpperBound is { } bound && recent.Any(r => r.Any(v => v > bound))
                ? $"a stream's value lies above the version's upperBound {bound.ToString(System.Globalization.CultureInfo.InvariantCulture)}: train a version with another bound"
            : null;
        if (problem is null && !usable.Contains(true)) return; // no decision yet: the next values may make a stream long enough
        if (problem is not null)
        {
            events.TryAdd(version.Model, version.Version, decision with { Recent = null, SeriesIds = null, Lengths = null, Summary = $"No challenger: {problem}." });
            _decided.TryAdd((version.Model, version.Version, episode), 0);
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
        var trained = open.Zip(recent).Where((_, i) => usable[i]).ToList();
        var shared = trained.GroupBy(p => p.First.SeriesId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var series = trained.Select(p => new StoredSeries(shared.Contains(p.First.SeriesId) ? null : p.First.SeriesId, p.Second[..^o.ComparisonValues])).ToList();
        // The decision names the job before it is queued, so the review finds it however fast the job trains.
        decision = decision with
        {
            JobId = Guid.NewGuid(),
            Summary = $"Challenger queued: a warm start of version {version.Version} on the recent values of {Streams(series.Count, open.Count)}, the last {o.ComparisonValues} of each kept for the comparison.",
        };
        if (!events.TryAdd(version.Model, version.Version, decision)) return; // recorded just before by another append or replica
        if (queue.TrySubmit(version.Model, new TrainingJobSpec(settings, series), decision.JobId) is null)
        {
            events.Update(version.Model, version.Version, decision with { JobId = null, Summary = "No challenger: the training queue was full (TrainingQueue:Capacity)." });
            _decided.TryAdd((version.Model, version.Version, episode), 0);
            // Cleared at once: a drift that goes on is flagged again, a window of values later, and tries the queue again.
            ClearUncompared(version.Model, version.Version, episode, now, "The training queue was full when the challenger was to be queued");
            return;
        }
        _queued[(version.Model, version.Version, episode)] = (decision.JobId!.Value, Environment.TickCount64);
    }
}
