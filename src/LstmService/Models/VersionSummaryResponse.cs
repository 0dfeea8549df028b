using LstmService.Forecasting.Models;
using LstmService.Registry;

namespace LstmService.Models;

/// <summary>One version in a model's listing.</summary>
/// <param name="Version">Version number (never reused within a model).</param>
/// <param name="CreatedAt">When the version was stored.</param>
/// <param name="Source">trained or imported.</param>
/// <param name="Available">False when its weights file is missing or altered (forecasts answer 409).</param>
/// <param name="InputWindow">Values the model reads per forecast.</param>
/// <param name="Horizon">Maximum steps it forecasts.</param>
/// <param name="JobId">Training job that created it (trained versions).</param>
/// <param name="Task">forecasting or classification.</param>
public sealed record VersionSummaryResponse(int Version, DateTimeOffset CreatedAt, VersionSource Source, bool Available, int InputWindow, int Horizon, Guid? JobId,
    ModelTask Task = ModelTask.Forecasting);
