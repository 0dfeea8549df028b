using LstmService.Forecasting.Series;

namespace LstmService.Registry;

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
