using System.Diagnostics;
using LstmService.Forecasting.Training;

namespace LstmService.Benchmarks;

/// <summary>
/// Forecasts after a trailing gap: for synthetic series of known kinds, trains a default model on the first values, then
/// forecasts from histories that end with g missing values and scores the horizon after the gap against the truth:
/// 0.1-0.9 coverage, mean width, RMSE and the interval score (width plus 10 times any miss, MSIS's form for that interval).
/// With --after N, the gap is closed by the N values that follow it and the horizon after those is scored (a gap filled by
/// the model's forecasts once a value closes it, ForecastModel.FillsClosedGap).
/// Usage: gaps [--reps N] [--length N] [--horizon H] [--gaps 0,4,8,16,32] [--after N] [kind ...]   (kinds: rw ar season weekly)
/// </summary>
static class TrailingGapBenchmark
{
    static readonly string[] Kinds = ["rw", "ar", "season", "weekly"];

    public static int Run(string[] args)
    {
        int reps = 30, length = 150, horizon = 8, after = 0;
        int[] gaps = [0, 4, 8, 16, 32];
        var kinds = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--reps" && i + 1 < args.Length) reps = int.Parse(args[++i]);
            else if (args[i] == "--length" && i + 1 < args.Length) length = int.Parse(args[++i]);
            else if (args[i] == "--horizon" && i + 1 < args.Length) horizon = int.Parse(args[++i]);
            else if (args[i] == "--gaps" && i + 1 < args.Length) gaps = args[++i].Split(',').Select(int.Parse).ToArray();
            else if (args[i] == "--after" && i + 1 < args.Length) after = int.Parse(args[++i]);
            else if (Kinds.Contains(args[i])) kinds.Add(args[i]);
            else { Console.Error.WriteLine($"Unknown option '{args[i]}'. Options: --reps N, --length N, --horizon H, --gaps A,B,C, --after N, kinds {string.Join(" ", Kinds)}"); return 2; }
        }
        if (kinds.Count == 0) kinds.AddRange(Kinds);
        Console.WriteLine($"# trailing gaps: {reps} series per kind, {length} values to train on, horizon {horizon}, default request" +
            (after > 0 ? $", each gap closed by the {after} values after it" : ""));
        Console.WriteLine("kind\tgap\tcoverage\twidth\trmse\tinterval score\trefused");
        var clock = Stopwatch.StartNew();
        foreach (var kind in kinds) Score(kind, reps, length, horizon, gaps, after);
        Console.WriteLine($"# {clock.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    static void Score(string kind, int reps, int length, int horizon, int[] gaps, int after)
    {
        var inside = new int[gaps.Length]; var counted = new int[gaps.Length]; var refused = new int[gaps.Length];
        var width = new double[gaps.Length]; var squares = new double[gaps.Length]; var score = new double[gaps.Length];
        for (int r = 0; r < reps; r++)
        {
            var y = Series(kind, length + gaps.Max() + after + horizon, seed: 1000 + r);
            var model = ForecastTrainer.Train([y[..length]], new TrainingOptions { Horizon = horizon }).Model;
            for (int g = 0; g < gaps.Length; g++)
            {
                int origin = length + gaps[g] + after;
                float[] history = [.. y[..length], .. Enumerable.Repeat(float.NaN, gaps[g]), .. y[(length + gaps[g])..origin]];
                try
                {
                    var forecast = model.Forecast([history])[0];
                    for (int t = 0; t < horizon; t++, counted[g]++)
                    {
                        float actual = y[origin + t], low = forecast.Quantiles[0.1f][t], high = forecast.Quantiles[0.9f][t];
                        if (actual >= low && actual <= high) inside[g]++;
                        width[g] += high - low;
                        squares[g] += Math.Pow(forecast.Mean[t] - actual, 2);
                        score[g] += high - low + 10 * Math.Max(0, low - actual) + 10 * Math.Max(0, actual - high);
                    }
                }
                catch (ArgumentException) { refused[g]++; }
            }
        }
        for (int g = 0; g < gaps.Length; g++)
        {
            double n = Math.Max(1, counted[g]);
            Console.WriteLine($"{kind}\t{gaps[g]}\t{inside[g] / n:F3}\t{width[g] / n:F2}\t{Math.Sqrt(squares[g] / n):F2}\t{score[g] / n:F2}\t{refused[g]}");
        }
    }

    /// <summary>A random walk, an AR(1) of 0.9, a yearly season of monthly values with noise, or a daily series' week with a slow trend.</summary>
    static float[] Series(string kind, int count, int seed)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        int[] week = [0, 5, 8, 6, 10, -15, -20];
        var y = new float[count];
        double level = 100, ar = 0;
        for (int t = 0; t < count; t++)
            y[t] = kind switch
            {
                "rw" => (float)(level += Normal()),
                "ar" => (float)(100 + (ar = 0.9 * ar + Normal())),
                "season" => (float)(100 + 20 * Math.Sin(2 * Math.PI * t / 12) + 3 * Normal()),
                _ => (float)(100 + 0.1 * t + week[t % 7] + 3 * Normal()),
            };
        return y;
    }
}
