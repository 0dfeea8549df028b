using LstmService.Forecasting.Models;

namespace LstmService.Registry;

/// <summary>What <see cref="ModelRegistry.AddVersion"/> stores besides the weights.</summary>
public sealed record NewVersion(
    string Model,
    ForecastModel Forecaster,
    VersionSource Source,
    Guid? JobId = null,
    TrainingSettings? Training = null,
    VersionMetrics? Metrics = null,
    string? DataFingerprint = null);
