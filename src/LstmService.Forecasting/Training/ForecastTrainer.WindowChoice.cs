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
        // Every series needs a few training windows: at most half of its training part (less the horizon) as the window.
        int cap = Math.Max(2, set.ValidationStart.Select((v, i) => (v - s) / 2).Min());
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
        var candidates = grid.Where(p => p >= 2 && p <= cap).ToList();
        if (candidates.Count == 0) candidates.Add(2);
        if (!options.Highway)
        {
            int auto = options.InputWindow > 0 ? options.InputWindow : Math.Min(cap, season >= 2 ? 2 * season + 1 : 24);
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
            int fallback = options.InputWindow > 0 ? options.InputWindow : Math.Max(2, Math.Min(cap, 24));
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
