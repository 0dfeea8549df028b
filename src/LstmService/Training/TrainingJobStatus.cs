namespace LstmService.Training;

/// <summary>Where a training job is in its life.</summary>
public enum TrainingJobStatus { Queued, Running, Succeeded, Failed, Cancelled }
