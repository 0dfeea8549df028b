using LstmService.Registry;

namespace LstmService.Training;

/// <summary>What a queued job needs to run after a restart: its settings and its data (persisted with the job).</summary>
public sealed record TrainingJobSpec(TrainingSettings Settings, IReadOnlyList<StoredSeries> Series);
