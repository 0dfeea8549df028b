using System.Diagnostics;
using LstmService.Forecasting.Training;

namespace LstmService.Benchmarks;

/// <summary>
/// Forecasts after a change of level the model never saw: for daily series with a weekly pattern (a flat level, or one
/// that walks), trains a default model on the first values, then forecasts from histories that go on for a few values at
/// a level <c>--shift</c> higher and scores the horizon after them: the geometric mean of the mean absolute error over a
/// seasonal naive forecast's, 0.1-0.9 coverage and the interval score (width plus 10 times any miss). Each kind is scored
/// without the change too (shift 0), which the rule must leave as it was. With <c>--inside K</c> the change comes K values
/// before the training part ends instead (the model trained on it), and the forecasts from 0, 7, ... values after that end.
/// With <c>--season M</c> the pattern repeats every M values instead of 7 (12: monthly values), and the seasonal naive
/// forecast is M values back.
/// Usage: shifts [--reps N] [--length N] [--horizon H] [--shift S] [--after 7,14,21] [--inside K] [--season M] [flat|walk ...]
/// </summary>
static class LevelShiftBenchmark
{
    static readonly string[] Kinds = ["flat", "walk"];

    public static int Run(string[] args)
    {
        int reps = 20, length = 159, horizon = 14, inside = 0, season = 7;
        double shift = 40;
        int[] after = [7, 14, 21];
        var kinds = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--reps" && i + 1 < args.Length) reps = int.Parse(args[++i]);
            else if (args[i] == "--length" && i + 1 < args.Length) length = int.Parse(args[++i]);
            else if (args[i] == "--horizon" && i + 1 < args.Length) horizon = int.Parse(args[++i]);
            else if (args[i] == "--shift" && i + 1 < args.Length) shift = double.Parse(args[++i]);
            else if (args[i] == "--after" && i + 1 < args.Length) after = args[++i].Split(',').Select(int.Parse).ToArray();
            else if (args[i] == "--inside" && i + 1 < args.Length) inside = int.Parse(args[++i]);
            else if (args[i] == "--season" && i + 1 < args.Length) season = int.Parse(args[++i]);
            else if (Kinds.Contains(args[i])) kinds.Add(args[i]);
            else { Console.Error.WriteLine($"Unknown option '{args[i]}'. Options: --reps N, --length N, --horizon H, --shift S, --after A,B,C, --inside K, --season M, kinds {string.Join(" ", Kinds)}"); return 2; }
        }
        if (kinds.Count == 0) kinds.AddRange(Kinds);
        if (inside > 0) after = [0, .. after];
        Console.WriteLine($"# changes of level: {reps} series per kind, {length} values to train on, " +
            (inside > 0 ? $"the last {inside} of them {shift} higher" : $"then values {shift} higher") + $"; horizon {horizon}, default request");
        Console.WriteLine("kind\tshift\tafter\tMAE / seasonal naive\tcoverage\tinterval score");
        var clock = Stopwatch.StartNew();
        foreach (var kind in kinds)
            foreach (var size in new[] { 0, shift })
                Score(kind, reps, length, horizon, size, after, length - inside, season);
        Console.WriteLine($"# {clock.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    static void Score(string kind, int reps, int length, int horizon, double shift, int[] after, int changeAt, int season)
    {
        var ratio = new double[after.Length]; var inside = new int[after.Length]; var score = new double[after.Length];
        int counted = 0;
        for (int r = 0; r < reps; r++)
        {
            var y = Series(kind, length + after.Max() + horizon, changeAt, shift, season, seed: 2000 + r);
            var model = ForecastTrainer.Train([y[..length]], new TrainingOptions { Horizon = horizon }).Model;
            counted += horizon;
            for (int a = 0; a < after.Length; a++)
            {
                int origin = length + after[a];
                var forecast = model.Forecast([y[..origin]])[0];
                double error = 0, naive = 0;
                for (int t = 0; t < horizon; t++)
                {
                    float actual = y[origin + t], low = forecast.Quantiles[0.1f][t], high = forecast.Quantiles[0.9f][t];
                    error += Math.Abs(forecast.Mean[t] - actual);
                    naive += Math.Abs(y[origin - season + t % season] - actual);
                    if (actual >= low && actual <= high) inside[a]++;
                    score[a] += high - low + 10 * Math.Max(0, low - actual) + 10 * Math.Max(0, actual - high);
                }
                ratio[a] += Math.Log(error / naive);
            }
        }
        for (int a = 0; a < after.Length; a++)
            Console.WriteLine($"{kind}\t{shift}\t{after[a]}\t{Math.Exp(ratio[a] / reps):F2}\t{inside[a] / (double)counted:F3}\t{score[a] / counted:F2}");
    }

    /// <summary>A pattern of <paramref name="season"/> values about 100 with noise 2 (its level a random walk for "walk"), <paramref name="shift"/> higher from <paramref name="from"/> on.</summary>
    static float[] Series(string kind, int count, int from, double shift, int season, int seed)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        double level = 100;
        var y = new float[count];
        for (int t = 0; t < count; t++)
        {
            if (kind == "walk") level += Normal();
            y[t] = (float)(level + 10 * Math.Sin(2 * Math.PI * t / season) + 2 * Normal() + (t >= from ? shift : 0));
        }
        return y;
    }
}
