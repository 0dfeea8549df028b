using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Training;

// The input window and the linear highway's AR orders, chosen on the validation part.
public static partial class ForecastTrainer
{
    /// <summary>
    /// The input window and the highway's AR orders. Candidates are 0.5 to 3 seasons (plain lags 3 to 48 without a season),
    /// capped by the data and by an explicit <see cref="TrainingOptions.InputWindow"/>; each is fitted on the training part
    /// and the three with the lowest validation error of their iterated forecasts are kept. A zero InputWindow then becomes
    /// the longest kept order.
    /// </summary>
    internal static (int Window, int[] Orders) ChooseWindow(SeriesSet set, (float Center, float Scale)[] stats, TrainingOptions options, int season, int primary = 0,
        IReadOnlyList<double[]>? spikeFree = null)
    {
        int s = options.Horizon;
        int cap = WindowCap(set, s);
        if (options.InputWindow > 0) cap = options.InputWindow;
        cap = Math.Min(cap, 1024);
        var grid = new SortedSet<int>();
        if (season >= 2)
        {
            for (int k = 2; k <= 12; k++) grid.Add((int)Math.Round(season * k / 4.0) + 1);
            if (primary >= 2 && primary != season)
                for (int k = 2; k <= 12; k++) grid.Add((int)Math.Round(primary * k / 4.0) + 1);
        }
        else
            foreach (var p in new[] { 3, 5, 8, 12, 16, 24, 32, 48 }) grid.Add(p);
        if (options.InputWindow > 0) grid.Add(options.InputWindow);
        // A window none of whose origins is usable would fail the training after it was chosen: with every other value
        // missing, an odd window's inputs are half missing plus one wherever its target is observed (a QA pass's 60 values
        // took 23 and the job failed, where 22 trains).
        var candidates = grid.Where(p => p >= 2 && p <= cap && (options.InputWindow > 0 || set.HasTrainingWindow(p, s))).ToList();
        if (candidates.Count == 0) candidates.Add(2);
        if (!options.Highway)
        {
            int auto = options.InputWindow > 0 ? options.InputWindow : Trainable(set, Math.Min(cap, season >= 2 ? 2 * season + 1 : 24), s);
            return (Math.Max(2, auto), []);
        }
        bool relative = options.Scaling == ScalingMode.WindowLevel;
        var scored = new List<(int Order, double Error)>();
        var fitted = LinearHighway.FitOrders(HighwayParts(set, stats, heldOut: true, spikeFree), candidates, relative);
        for (int k = 0; k < candidates.Count; k++)
        {
            int p = candidates[k];
            if (fitted[k] is not { } c) continue;
            double error = set.HasValidation ? ValidationError(set, stats, new LinearHighway(relative, [c]), p, s, options.Scaling) : 0;
            scored.Add((p, double.IsFinite(error) ? error : double.MaxValue));
        }
        if (scored.Count == 0)
        {
            int fallback = options.InputWindow > 0 ? options.InputWindow : Trainable(set, Math.Max(2, Math.Min(cap, 24)), s);
            return (fallback, []);
        }
        int[] orders;
        if (set.HasValidation) orders = scored.OrderBy(e => e.Error).ThenBy(e => e.Order).Take(3).Select(e => e.Order).Order().ToArray();
        else
        {
            // Nothing to validate on: one and two seasons (or the middle of the grid), averaged.
            var preferred = season >= 2 ? new[] { season + 1, 2 * season + 1 } : [8, 16];
            orders = scored.Select(e => e.Order).Where(preferred.Contains).ToArray();
            if (orders.Length == 0) orders = [scored[scored.Count / 2].Order];
        }
        int window = options.InputWindow > 0 ? options.InputWindow : orders.Max();
        return (window, orders);
    }

    /// <summary>The longest window up to <paramref name="preferred"/> that has a training origin, or <paramref name="preferred"/> where none has.</summary>
    static int Trainable(SeriesSet set, int preferred, int horizon)
    {
        for (int w = preferred; w >= 2; w--)
            if (set.HasTrainingWindow(w, horizon)) return w;
        return preferred;
    }

    /// <summary>
    /// The longest window the data allow: at most half of each series' training part (less the horizon), so every series
    /// has a few training windows; a series whose half is below half the median series' does not cap it. Such a series is
    /// far shorter than the model's others: one of 15 values beside seasonal series of 60 and 100 had made the window 2 for
    /// all of them, and their forecasts four times worse than a seasonal naive one. It adds the windows it can (none when
    /// shorter than the window and the horizon), and a forecast of it needs the window's values.
    /// </summary>
    internal static int WindowCap(SeriesSet set, int horizon)
    {
        var caps = set.ValidationStart.Select(v => (v - horizon) / 2).ToArray();
        var far = FarShorter(caps);
        return Math.Max(2, caps.Where((c, i) => !far[i]).Min());
    }

    /// <summary>Whether each of <paramref name="lengths"/> is below half their median: never all of them.</summary>
    internal static bool[] FarShorter(IReadOnlyList<int> lengths)
    {
        var sorted = lengths.Order().ToArray();
        int k = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[k] : 0.5 * (sorted[k - 1] + sorted[k]);
        return lengths.Select(n => n < median / 2).ToArray();
    }

    /// <summary>
    /// The parts the classical members' shared shapes and parameters are fitted on: all but those far shorter than the others
    /// (<see cref="FarShorter"/>). The shapes a model's members may take are limited by the shortest series they are fitted
    /// on: a series of 15 values beside seasonal ones of 60 and 100 had left the smoothing, theta and the autoregression
    /// without the season. The members then forecast the short series as the others, from its own history.
    /// </summary>
    internal static IReadOnlyList<double[]> SharedFitParts(IReadOnlyList<double[]> parts)
    {
        var far = FarShorter(parts.Select(p => p.Length).ToArray());
        return far.Any(f => f) ? parts.Where((_, i) => !far[i]).ToList() : parts;
    }

    /// <summary>Mean squared error (encoded units) of an AR's iterated forecasts over every validation origin.</summary>
    static double ValidationError(SeriesSet set, (float Center, float Scale)[] stats, LinearHighway highway, int order, int s, ScalingMode scaling)
    {
        var (matrix, bias) = highway.Compose(order, s);
        var x = new float[order];
        var y = new float[s];
        double sum = 0;
        long n = 0;
        for (int i = 0; i < set.Count; i++)
        {
            var raw = set.Raw[i]; var filled = set.Filled[i];
            for (int o = Math.Max(order, set.ValidationStart[i]); o + s <= raw.Length; o++)
            {
                if (!set.InputObserved(i, o, order)) continue; // not an origin one could forecast from
                var (level, scale) = ForecastModel.EncodeWindow(filled, o, order, scaling, stats[i], x);
                LinearHighway.Apply(matrix, bias, order, x, y);
                for (int t = 0; t < s; t++)
                {
                    float actual = raw[o + t];
                    if (float.IsNaN(actual)) continue;
                    double e = y[t] - (actual - level) / scale;
                    sum += e * e; n++;
                }
            }
        }
        return n > 0 ? sum / n : double.NaN;
    }

    /// <summary>The highway's AR models of <paramref name="orders"/>, fitted on <see cref="HighwayParts"/>.</summary>
    static LinearHighway? FitHighway(SeriesSet set, (float Center, float Scale)[] stats, int[] orders, ScalingMode scaling, bool heldOut,
        IReadOnlyList<double[]>? spikeFree = null)
    {
        bool relative = scaling == ScalingMode.WindowLevel;
        var parts = HighwayParts(set, stats, heldOut, spikeFree);
        var models = LinearHighway.FitOrdersRobust(parts, orders, relative).OfType<float[]>().ToList();
        return models.Count > 0 ? new LinearHighway(relative, models) : null;
    }
}
