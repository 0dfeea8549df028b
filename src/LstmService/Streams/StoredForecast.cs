namespace LstmService.Streams;

/// <summary>
/// A forecast as stored: the mean and quantiles (keyed as the forecast endpoint keys them), the anomaly interval and, for a
/// version that clamps at zero, whether this forecast was (null for one that does not, and in documents stored before),
/// the changes of level it read in the stream's history (null: none, and in documents stored before), and, for a version
/// that keeps series' own weights or widths, whether the stream's seriesId named such a series (null otherwise, and in
/// documents stored before).
/// </summary>
public sealed record StoredForecast(float[] Mean, Dictionary<string, float[]> Quantiles, float[]? AnomalyLower, float[]? AnomalyUpper, bool? ClampedAtZero = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<Forecasting.Models.LevelChange>? LevelChanges = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    bool? TrainedSeries = null);
