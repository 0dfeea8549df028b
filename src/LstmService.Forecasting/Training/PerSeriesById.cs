using LstmService.Forecasting.Models;

namespace LstmService.Forecasting.Training;

/// <summary>
/// A model's per-series interval scales and mixing weights keyed by the training series' ids, as the model keeps them and
/// a forecast naming an id reads them. A series without an id keeps the pooled ones, and so do an id given twice (a
/// forecast could not tell which it names) and the series past <see cref="Budget"/> bytes, in training order.
/// </summary>
internal static class PerSeriesById
{
    /// <summary>Bytes of the weights file's header the series' interval scales and mixing weights may take (its whole header holds at most 1 MiB).</summary>
    internal const int Budget = 256 * 1024;

    /// <summary>What one series' entries (<paramref name="numbers"/> of them under <paramref name="id"/>) take of the weights file's header, at most.</summary>
    internal static long Bytes(string id, int numbers) => 2 * System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(id).Length + 16L * numbers + 8;

    /// <summary>
    /// <paramref name="model"/> keeping <paramref name="scales"/> and <paramref name="weights"/> (per series, by index; null
    /// for a series without its own) under <paramref name="ids"/> (parallel to them).
    /// </summary>
    public static ForecastModel Keep(ForecastModel model, IReadOnlyList<float[]?>? scales, IReadOnlyList<float[]?>? weights, IReadOnlyList<string?> ids)
    {
        var scalesById = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var weightsById = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var twice = new HashSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        for (int i = 0; i < ids.Count; i++)
        {
            var (factors, own) = (scales?[i], weights?[i]);
            if (ids[i] is not { } id || (factors is null && own is null)) continue;
            // The weights file's header holds them (at most 1 MiB with everything else): series past the budget keep the pooled ones.
            bytes += Bytes(id, (factors?.Length ?? 0) + (own?.Length ?? 0));
            if (bytes > Budget) break;
            if (!seen.Add(id)) { twice.Add(id); continue; }
            if (factors is not null) scalesById[id] = factors;
            if (own is not null) weightsById[id] = own;
        }
        foreach (var id in twice) { scalesById.Remove(id); weightsById.Remove(id); }
        if (scalesById.Count > 0) model = model.WithSeriesIntervalScales(scalesById);
        if (weightsById.Count > 0) model = model.WithSeriesMixWeights(weightsById);
        return model;
    }
}
