using System.Diagnostics;
using System.Security.Cryptography;
using LstmService.Forecasting.Classification;
using LstmService.Registry;

namespace LstmService.Training;

// A classification job's run: the same claim, lease, progress, cancellation and failure handling as a forecasting job's
// (RunJobAsync's catches), a different trainer and what is stored with the version.
public sealed partial class TrainingWorkerService
{
    private async Task RunClassificationAsync(JobClaim claim, string model, TrainingJobSpec spec, Stopwatch started, CancellationToken cancellationToken,
        CancellationToken storeToken)
    {
        var sequences = spec.Series.Select(s => s.ToClassificationSequence()).ToArray();
        var settings = spec.Settings.Classification ?? new ClassificationSettings(ValidationSplit.Stratified, null);
        var progress = new TrainingProgressReporter(claim, model, store, queue, logger, options.Value.ProgressWriteIntervalMilliseconds);
        var result = await Task.Factory.StartNew(
            () => classificationTrainer.Train(sequences, settings.ToOptions(spec.Settings), progress.Report, cancellationToken),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var version = await StoreVersionAsync(claim,
            new NewVersion(model, result.Model, VersionSource.Trained, claim.Id, spec.Settings, Metrics(result, spec), Fingerprint(sequences)),
            result.BestEpoch, result.TrainLosses, result.ValidationLosses, storeToken);
        Ended(version is null ? "cancelled" : "succeeded", started);
        if (version is null)
            logger.LogInformation("Job {JobId} for model {Model} finished training but was cancelled or taken over meanwhile; no version stored", claim.Id, model);
        else
            logger.LogInformation("Job {JobId} for model {Model} succeeded: classifier version {Version}, {Epochs} epochs (best {BestEpoch}), {Part} accuracy {Accuracy:F3} in {Elapsed:F1} s",
                claim.Id, model, version.Version, result.EpochsRun, result.BestEpoch, result.MetricsPart, result.Metrics.Accuracy, started.Elapsed.TotalSeconds);
    }

    private static VersionMetrics Metrics(ClassificationResult result, TrainingJobSpec spec)
    {
        double? At(IReadOnlyList<double> list, int index) => index >= 0 && index < list.Count ? Finite.OrNull(list[index]) : null;
        var validation = result.ValidationLosses.Where(double.IsFinite).ToList();
        var loss = new LossSummary(
            InitialTrainLoss: At(result.TrainLosses, 0),
            FinalTrainLoss: At(result.TrainLosses, result.TrainLosses.Count - 1),
            TrainLossAtBestEpoch: At(result.TrainLosses, result.BestEpoch - 1),
            BestValidationLoss: validation.Count > 0 ? validation.Min() : null,
            FinalValidationLoss: At(result.ValidationLosses, result.ValidationLosses.Count - 1));
        var curve = new LossCurve(result.TrainLosses.Select(Finite.OrNull).ToArray(), result.ValidationLosses.Select(Finite.OrNull).ToArray());
        return new VersionMetrics(result.EpochsRun, result.BestEpoch, loss, Backtest: null, spec.Series.Count, spec.Series.Sum(s => (long)s.Values.Length),
            result.MissingValues, curve, Classification: ClassificationInfo.Of(result));
    }

    /// <summary>The forecasting fingerprint of the values and covariates (<see cref="Fingerprint(IReadOnlyList{Forecasting.Training.TrainingSeries})"/>), then each label (int32 byte count, UTF-8) in order.</summary>
    internal static string Fingerprint(IReadOnlyList<ClassificationSequence> sequences)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Convert.FromHexString(Fingerprint(sequences.Select(s => new Forecasting.Training.TrainingSeries(s.Values, s.Covariates)).ToArray())));
        var buffer = new byte[4];
        foreach (var s in sequences)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(s.Label ?? "");
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer, bytes.Length);
            hash.AppendData(buffer);
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
