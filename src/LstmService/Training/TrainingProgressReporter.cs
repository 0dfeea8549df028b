using System.Diagnostics;
using LstmService.Forecasting.Training;
using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>
/// Receives every epoch on the training thread: keeps it in memory, writes it at most every interval, logs every few
/// seconds. The write runs beside the training, one at a time, so a database that is slow or away (a write waiting out a
/// connection timeout) never holds an epoch up; progress is for watchers, and this replica serves it from memory anyway.
/// </summary>
internal sealed class TrainingProgressReporter(JobClaim claim, string model, TrainingJobStore store, TrainingQueue queue, ILogger logger, int writeIntervalMs)
{
    private readonly Stopwatch _sinceWrite = Stopwatch.StartNew();
    private readonly Stopwatch _sinceLog = Stopwatch.StartNew();
    private Task _writing = Task.CompletedTask;
    private bool _failing;

    public void Report(EpochProgress p)
    {
        store.ReportEpoch(claim.Id, p.Epoch, p.Epochs, p.TrainLoss, p.ValidationLoss);
        // The last epoch's figures are written with the version, in its transaction; a write still running is left to finish.
        if (_sinceWrite.ElapsedMilliseconds >= writeIntervalMs && _writing.IsCompleted)
        {
            _writing = Task.Run(Write);
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

    private void Write()
    {
        try
        {
            store.FlushProgress(claim);
            if (_failing) logger.LogInformation("Job {JobId}: writing its progress works again", claim.Id);
            _failing = false;
        }
        catch (Exception e) when (TransientDatabaseErrors.Is(e))
        {
            if (!_failing) logger.LogWarning("Job {JobId}: writing its progress failed, the database being out of reach ({Error})", claim.Id, e.Message);
            _failing = true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Job {JobId}: writing its progress failed", claim.Id);
        }
    }
}
