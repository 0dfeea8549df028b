using LstmService.Registry;

namespace LstmService.Drift;

/// <summary>
/// Keeps drift's challengers out of a model's default version until one wins its comparison: a challenger trained for a
/// flag (its job queued by a "retrain" decision) that lost, or is not compared yet, had become the newest version and
/// answered every request that named no version or alias, though the service had just measured it worse.
/// </summary>
public sealed class UnprovenChallengers(VersionEventStore events) : IDefaultVersionFilter
{
    public IReadOnlySet<int> HeldBack(string model, IReadOnlyList<VersionRecord> versions)
    {
        // Every challenger is a warm start of the drifting version: a model without one (nearly every model) needs no query on
        // the forecast path.
        if (!versions.Any(v => v.Training?.ParentVersion is not null)) return new HashSet<int>();
        var (retrainJobs, winners) = events.Challenges(model);
        if (retrainJobs.Count == 0) return new HashSet<int>();
        return versions.Where(v => v.JobId is { } job && retrainJobs.Contains(job) && !winners.Contains(v.Version)).Select(v => v.Version).ToHashSet();
    }
}
