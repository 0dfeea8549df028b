using LstmService.Infrastructure;
using LstmService.Streams;
using Microsoft.Extensions.Options;

namespace LstmService.Drift;

/// <summary>
/// Refuses, where Monitoring:AutoRetrain is on, drift settings that other sections make unworkable, echoing both values (either
/// may be the mistake; without retraining no challenger is trained, and a small TrainingQueue:MaxEpochs stays a cost cap): a challenger
/// compared on at least as many values as a stream keeps could never be trained (an operator QA pass saw Monitoring:ComparisonValues
/// 600 start without a word and no challenger follow a drift), and one of more epochs than TrainingQueue:MaxEpochs would pass a
/// limit that every training request is held to (its job is queued directly, not through the request's validation).
/// </summary>
public sealed class DriftOptionsValidator(IOptions<StreamOptions> streams, IOptions<TrainingQueueOptions> queue) : IValidateOptions<DriftOptions>
{
    public ValidateOptionsResult Validate(string? name, DriftOptions options)
    {
        // A setting that could not be read is named already; its default is no value of the operator's to compare.
        if (!options.AutoRetrain || ConfigurationSectionBinder.FailuresOf(options).Count > 0) return ValidateOptionsResult.Success;
        var problems = new List<string>();
        if (streams.ValidOrNull() is { } s && options.ComparisonValues >= s.RecentValues)
            problems.Add($"{DriftOptions.Section}:{nameof(DriftOptions.ComparisonValues)} must be below {StreamOptions.Section}:{nameof(StreamOptions.RecentValues)}: " +
                $"a challenger trains on a stream's recent values before those it is compared on (it is {options.ComparisonValues}; " +
                $"{StreamOptions.Section}:{nameof(StreamOptions.RecentValues)} is {s.RecentValues}).");
        if (queue.ValidOrNull() is { } q && options.RetrainEpochs > q.MaxEpochs)
            problems.Add($"{DriftOptions.Section}:{nameof(DriftOptions.RetrainEpochs)} must be at most {TrainingQueueOptions.Section}:{nameof(TrainingQueueOptions.MaxEpochs)}, " +
                $"the most epochs a job may take (it is {options.RetrainEpochs}; {TrainingQueueOptions.Section}:{nameof(TrainingQueueOptions.MaxEpochs)} is {q.MaxEpochs}).");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
