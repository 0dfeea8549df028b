using LstmService.Forecasting.Classification;
using LstmService.Forecasting.Training;

namespace LstmService.Training;

/// <summary>A training series as stored with its job; null marks a missing value. Covariates: name → values aligned with <see cref="Values"/> (none in jobs stored before covariates existed). Label: a classification sequence's class.</summary>
public sealed record StoredSeries(string? Id, double?[] Values, IReadOnlyDictionary<string, double?[]>? Covariates = null, string? Label = null)
{
    public ClassificationSequence ToClassificationSequence() => new(
        ToFloats(Values),
        Covariates is { Count: > 0 } covariates ? covariates.ToDictionary(kv => kv.Key, kv => ToFloats(kv.Value), StringComparer.Ordinal) : null,
        Label);

    public TrainingSeries ToTrainingSeries() => new(
        ToFloats(Values),
        Covariates is { Count: > 0 } covariates ? covariates.ToDictionary(kv => kv.Key, kv => ToFloats(kv.Value), StringComparer.Ordinal) : null,
        Id);

    public float[] ToFloats() => ToFloats(Values);

    internal static float[] ToFloats(IReadOnlyList<double?> source)
    {
        var values = new float[source.Count];
        for (var i = 0; i < values.Length; i++)
            values[i] = source[i] is { } v ? (float)v : float.NaN;
        return values;
    }
}
