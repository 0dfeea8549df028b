namespace LstmService.Training;

/// <summary>What renewing a running job's lease found.</summary>
public enum LeaseState
{
    /// <summary>Renewed: the job runs on.</summary>
    Held,

    /// <summary>Renewed, but a replica that does not run the job asked to cancel it.</summary>
    CancelRequested,

    /// <summary>The job is no longer this run's: cancelled (its model deleted), or its lease expired and another worker took it.</summary>
    Lost,
}
