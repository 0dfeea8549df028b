using LstmService.Forecasting.Series;

namespace LstmService.Registry;

/// <summary>A version as stored; its architecture, training settings and metrics are JSON columns. The API answers with <c>VersionResponse</c>, mapped from it, so the stored documents can change without changing the API and back.</summary>
public sealed record VersionRecord(
    string Model,
    int Version,
    DateTimeOffset CreatedAt,
    VersionSource Source,
    Guid? JobId,
    int InputWindow,
    int Horizon,
    float[] Quantiles,
    ScalingMode Scaling,
    ArchitectureInfo Architecture,
    TrainingSettings? Training,
    VersionMetrics? Metrics,
    string? DataFingerprint,
    string WeightsSha256,
    long WeightsSize);
