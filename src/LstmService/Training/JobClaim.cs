namespace LstmService.Training;

/// <summary>
/// A job a worker has claimed, with the lease token written into its row: every later write of that run (progress, the
/// end state, the renewal) names the token, so a run whose lease expired and whose job another worker took over can no
/// longer change the job, and a job succeeds once.
/// </summary>
public sealed record JobClaim(Guid Id, string Lease);
