using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Benchmarks;

/// <summary>
/// Trains on seasonal series with values missing at random inside them and forecasts from the same history: for each share
/// of missing values, the mean 0.1-0.9 interval width, coverage and mean absolute error over the horizon, beside the ideal
/// width of the noise alone (2 x 1.2816 x its deviation). <c>daily</c>: 140 days of a weekly pattern (each day's offset
/// uniform in ±15) about a level of 50-100, noise 3, horizon 14; <c>monthly</c>: 120 months of a sine of amplitude 10,
/// noise 3, horizon 12. The first and last values are always observed.
/// Usage: inner-gaps [--reps N] [--missing 0,0.1,0.2,0.35] [daily|monthly ...]
/// </summary>
static class InnerGapBenchmark
{
    static readonly string[] Kinds = ["daily", "monthly"];
    const double Noise = 3;

    public static int Run(string[] args)
    {
        int reps = 12;
        double[] shares = [0, 0.1, 0.2, 0.35];
        var kinds = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--reps" && i + 1 < args.Length) reps = int.Parse(args[++i]);
            else if (args[i] == "--missing" && i + 1 < args.Length) shares = args[++i].Split(',').Select(double.Parse).ToArray();
            else if (Kinds.Contains(args[i])) kinds.Add(args[i]);
            else { Console.Error.WriteLine($"Unknown option '{args[i]}'. Options: --reps N, --missing A,B,..., kinds {string.Join(" ", Kinds)}"); return 2; }
        }
        if (kinds.Count == 0) kinds.AddRange(Kinds);
        Console.WriteLine($"ideal 0.1-0.9 width {2 * 1.2816 * Noise:F2}; {reps} series each");
        foreach (var kind in kinds)
            foreach (var share in shares)
            {
                double width = 0, covered = 0, error = 0;
                for (int rep = 0; rep < reps; rep++)
                {
                    var (history, future, horizon) = Series(kind, (ulong)rep, share);
                    var options = new TrainingOptions { Horizon = horizon, Seed = 42 };
                    var forecast = ForecastTrainer.Train([history], options).Model.Forecast([history])[0];
                    for (int h = 0; h < horizon; h++)
                    {
                        float low = forecast.Quantiles[0.1f][h], high = forecast.Quantiles[0.9f][h];
                        width += (high - low) / horizon;
                        covered += (future[h] >= low && future[h] <= high ? 1.0 : 0.0) / horizon;
                        error += Math.Abs(forecast.Mean[h] - future[h]) / horizon;
                    }
                }
                Console.WriteLine($"{kind,-8} missing {share:F2}: width {width / reps:F2}, coverage {covered / reps:F3}, MAE {error / reps:F3}");
            }
        return 0;
    }

    static (float[] History, float[] Future, int Horizon) Series(string kind, ulong rep, double share)
    {
        var rng = new SeededRandom(7_000 + rep);
        bool monthly = kind == "monthly";
        int length = monthly ? 120 : 140, horizon = monthly ? 12 : 14, m = monthly ? 12 : 7;
        double phase = 2 * Math.PI * rng.NextFloat(), level = 50 + 50 * rng.NextFloat();
        var offsets = Enumerable.Range(0, m).Select(p => monthly ? 10 * Math.Sin(2 * Math.PI * p / m + phase) : 30 * rng.NextFloat() - 15).ToArray();
        var values = Enumerable.Range(0, length + horizon).Select(t => (float)(level + offsets[t % m] + Noise * rng.NextGaussian())).ToArray();
        var history = values[..length];
        // A separate stream for the gaps, so each share misses values of the same series.
        var gaps = new SeededRandom(9_000 + rep);
        for (int t = 1; t < length - 1; t++) if (gaps.NextFloat() < share) history[t] = float.NaN;
        return (history, values[length..], horizon);
    }
}
