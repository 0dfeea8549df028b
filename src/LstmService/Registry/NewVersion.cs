using LstmService.Forecasting.Models;

namespace LstmService.Registry;

/// <summary>What <see cref="ModelRegistry.AddVersion"/> stores: the trained model (a <see cref="ForecastModel"/> or a classifier) and what goes with it.</summary>
public sealed record NewVersion(
    string Model,
    IServedModel Trained,
    VersionSource Source,
    Guid? JobId = null,
    TrainingSettings? Training = null,
    VersionMetrics? Metrics = null,
    string? DataFingerprint = null);
