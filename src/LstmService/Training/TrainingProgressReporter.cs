using System.Diagnostics;
using LstmService.Forecasting.Training;
using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>Receives every epoch on the training thread: keeps it in memory, writes it at most every interval, logs every few seconds.</summary>
internal sealed class TrainingProgressReporter(JobClaim claim, string model, TrainingJobStore store, TrainingQueue queue, ILogger logger, int writeIntervalMs)
{
    private readonly Stopwatch _sinceWrite = Stopwatch.StartNew();
    private readonly Stopwatch _sinceLog = Stopwatch.StartNew();

    public void Report(EpochProgress p)
    {
        store.ReportEpoch(claim.Id, p.Epoch, p.TrainLoss, p.ValidationLoss);
        if (_sinceWrite.ElapsedMilliseconds >= writeIntervalMs || p.Epoch == p.Epochs)
        {
            try
            {
                store.FlushProgress(claim);
            }
            catch (Exception e) when (TransientDatabaseErrors.Is(e))
            {
                // Progress is for watchers (this replica serves it from memory anyway): training goes on, and the next write
                // comes an interval later, not at every epoch, each of which would wait out a connection timeout.
                logger.LogWarning("Job {JobId}: writing its progress failed, the database being out of reach ({Error})", claim.Id, e.Message);
            }
            _sinceWrite.Restart();
        }
        if (_sinceLog.ElapsedMilliseconds >= 5_000)
        {
            logger.LogInformation("Job {JobId} for model {Model}: epoch {Epoch}/{Epochs}, train loss {TrainLoss:G4}, validation loss {ValidationLoss:G4}",
                claim.Id, model, p.Epoch, p.Epochs, p.TrainLoss, p.ValidationLoss);
            _sinceLog.Restart();
        }
        queue.Signal(claim.Id);
    }
}
