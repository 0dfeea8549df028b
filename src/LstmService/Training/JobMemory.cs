using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>
/// An upper estimate of the memory one training job takes while it runs, from its options and series lengths alone, held to
/// <see cref="TrainingQueueOptions.MaxJobMemoryBytes"/> at submit time: a job that cannot fit is refused with a 400 instead
/// of being accepted and then failing (or taking the process down) on a worker. Generous on purpose, it counts:
/// <list type="bullet">
/// <item>parameters: each member's weights, gradient, Adam's two moments and the best epoch's copy (5 per member), plus the
/// merged ensemble of the validated and of the refitted model;</item>
/// <item>activations: per member, a batch over the window through every layer (gates, states and their gradients, about 16
/// floats per unit and step);</item>
/// <item>the series (raw, filled, original, scaled and double copies) and, per window, its target and the classical members'
/// base forecasts over the horizon, the network's outputs and the bookkeeping of a window, for the held-out and the refit
/// data at once.</item>
/// </list>
/// With <c>search</c>, the largest candidate (twice the hidden size, one more layer, twice the window) is the one counted.
/// Parameters are counted as an LSTM's, the larger cell: an upper bound for a GRU, and what a search that tries the LSTM needs.
/// </summary>
public static class JobMemory
{
    private const long FloatBytes = sizeof(float);
    private const long FloatsPerUnitStep = 16;
    private const long SeriesBytesPerPoint = 48;
    private const long WindowOverheadBytes = 96;
    private const int BaseMembers = 6; // the classical members, the highway and their mean

    /// <summary>
    /// The estimate's parts in bytes; the field a client changes to shrink each. <paramref name="Window"/> is the window the
    /// activations were counted for, <paramref name="WindowChosen"/> whether the data would choose it (no inputWindow given).
    /// </summary>
    public readonly record struct Estimate(long Parameters, long Activations, long Data, int Window = 0, bool WindowChosen = false)
    {
        public long Total => Parameters + Activations + Data;

        /// <summary>An unset inputWindow is counted at the widest the data allows, so it, not batchSize, is what bounds the activations then.</summary>
        public string LargestField => Parameters >= Activations && Parameters >= Data ? "hiddenSize"
            : Activations >= Data ? (WindowChosen ? "inputWindow" : "batchSize") : "series";
    }

    public static Estimate Of(TrainingOptions options, IReadOnlyList<StoredSeries> series, int covariates)
    {
        int hidden = options.HiddenSize, layers = options.Layers;
        long points = series.Sum(s => (long)s.Values.Length * (1 + (s.Covariates?.Count ?? 0)));
        int longest = series.Count == 0 ? 0 : series.Max(s => s.Values.Length);
        // inputWindow 0 is chosen from the data: up to three seasons, at most the validator's limit and the series' length.
        int window = options.InputWindow > 0 ? options.InputWindow
            : options.SeasonLength >= 2 ? Math.Min(3 * options.SeasonLength, TrainingRequestValidator.MaxInputWindow) : TrainingRequestValidator.MaxInputWindow;
        if (options.Search)
        {
            hidden = SearchHiddenSize(hidden, options.Ensemble);
            layers = SearchLayers(layers);
            window = Math.Min(2 * window, TrainingRequestValidator.MaxInputWindow);
        }
        window = Math.Max(1, Math.Min(window, longest));
        int steps = options.Strategy == ForecastStrategy.Recursive ? 1 : options.Horizon;
        int outputs = steps * (1 + options.Quantiles.Length);
        int input = 2 + covariates;

        long member = NetworkSize.Parameters(input, hidden, layers, outputs, options.Peepholes);
        long merged = (long)hidden * options.Ensemble <= NetworkSize.MaxWidth
            ? NetworkSize.Parameters(input, hidden * options.Ensemble, layers, outputs, options.Peepholes) : member * options.Ensemble;
        long parameters = FloatBytes * (5 * member * options.Ensemble + 2 * merged);

        long windows = Math.Max(0, points);
        long batch = Math.Max(1, Math.Min(options.BatchSize, windows));
        long activations = FloatBytes * FloatsPerUnitStep * options.Ensemble * batch * window * hidden * layers;

        long perWindow = FloatBytes * (long)options.Horizon * (1 + BaseMembers + 1 + options.Quantiles.Length) + WindowOverheadBytes;
        long data = SeriesBytesPerPoint * points + 2 * windows * perWindow;
        return new Estimate(parameters, activations, data, window, options.InputWindow <= 0);
    }

    /// <summary>The widest hidden size <c>search</c> tries: twice the request's while within hiddenSize's cap and the merged width (as HyperparameterSearch does).</summary>
    public static int SearchHiddenSize(int hidden, int ensemble) =>
        2 * hidden <= TrainingRequestValidator.MaxHiddenSize && 2L * hidden * ensemble <= NetworkSize.MaxWidth ? 2 * hidden : hidden;

    /// <summary>The most layers <c>search</c> tries: one more than asked, within the limit.</summary>
    public static int SearchLayers(int layers) => Math.Min(layers + 1, TrainingRequestValidator.MaxLayers);

    /// <summary>Adds an error naming the setting when the estimate exceeds the budget; true when it fits.</summary>
    public static bool Check(TrainingOptions options, IReadOnlyList<StoredSeries> series, int covariates, long budget, ValidationErrors errors)
    {
        var estimate = Of(options, series, covariates);
        if (estimate.Total <= budget) return true;
        errors.Add(estimate.LargestField,
            $"The job would need about {MiB(estimate.Total)} MiB (network and optimizer {MiB(estimate.Parameters)} MiB, activations {MiB(estimate.Activations)} MiB, " +
            $"series and windows {MiB(estimate.Data)} MiB); the limit is {MiB(budget)} MiB (TrainingQueue:MaxJobMemoryBytes). " +
            (estimate.WindowChosen && estimate.LargestField == "inputWindow"
                ? $"Without inputWindow the window is chosen from the data, up to {estimate.Window} values for these series, and counted at that: give an inputWindow" +
                  (options.SeasonLength >= 2 ? "" : " (or a seasonLength, which bounds it at three seasons)") + " to bound it, or use "
                : "Use ") + "fewer or shorter series, a shorter horizon, a smaller hiddenSize, ensemble, batchSize or inputWindow.");
        return false;
    }

    private static long MiB(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}
