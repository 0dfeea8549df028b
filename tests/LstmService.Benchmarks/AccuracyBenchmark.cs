// Forecast accuracy on two real series (sunspots_yearly.csv and co2_weekly_mauna_loa.csv in the folder --data names), on the
// protocol of issue 4:
// train on everything before the test region, then from every origin in the test region forecast h steps from the
// true history up to that origin; RMSE / MAE over all forecasts and the share of test points inside the 0.1-0.9 interval.
// Usage: dotnet run -c Release --project tests/LstmService.Benchmarks -- accuracy --data DIR [sunspots|co2] [--seeds 42,7]
//        [--recursive] [--search] [--no-highway]
// Training uses the service's defaults: only the horizon is set (and the seed with --seeds); the last three flags switch
// on the recursive strategy, the hyperparameter search or switch off the linear highway, to compare.
// Each run also prints what the model's linear highway alone forecasts (the same model with a silent network), so the
// LSTM's own contribution is visible.
using System.Diagnostics;
using System.Globalization;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Benchmarks;

public static class AccuracyBenchmark
{
    /// <summary>One dataset's protocol and the issue's targets.</summary>
    public sealed record Dataset(string Name, string File, int TestLength, int Horizon, int Season, double TargetRmse, string Baselines);

    public static readonly Dataset[] Datasets =
    [
        new("sunspots", "sunspots_yearly.csv", 40, 10, 11, 29.0, "naive 70.7, AR(22) 29.3, PyTorch LSTM 37.2-39.4"),
        new("co2", "co2_weekly_mauna_loa.csv", 156, 52, 52, 0.58, "seasonal naive 1.41, Holt-Winters 0.76, AR(104) 0.58, PyTorch LSTM 5.9-6.7"),
    ];

    /// <summary>What one run measured.</summary>
    public sealed record Result(string Dataset, ulong Seed, double Rmse, double Mae, double Coverage, double TrainSeconds, int EpochsRun,
        double NaiveRmse, double SeasonalNaiveRmse, int InputWindow, int Season, string Orders, int BestEpoch, double HighwayRmse);

    public static int Run(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        string? dataDir = null;
        var seeds = new List<ulong>();
        var selected = new List<Dataset>();
        Func<TrainingOptions, TrainingOptions> configure = o => o;
        var flags = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "accuracy": break;
                case "--recursive": { var before = configure; configure = o => before(o) with { Strategy = ForecastStrategy.Recursive }; flags.Add("strategy=recursive"); break; }
                case "--search": { var before = configure; configure = o => before(o) with { Search = true }; flags.Add("search"); break; }
                case "--no-statistics": { var before = configure; configure = o => before(o) with { Statistics = false }; flags.Add("statistics=false"); break; }
                case "--correct-highway": { var before = configure; configure = o => before(o) with { CorrectStatistics = false }; flags.Add("correctStatistics=false"); break; }
                case "--no-highway": { var before = configure; configure = o => before(o) with { Highway = false }; flags.Add("highway=false"); break; }
                case "--data" when i + 1 < args.Length: dataDir = args[++i]; break;
                case "--seeds" when i + 1 < args.Length:
                    foreach (var s in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)) seeds.Add(ulong.Parse(s, CultureInfo.InvariantCulture));
                    break;
                default:
                    var d = Array.Find(Datasets, d => d.Name == args[i]);
                    if (d is not null) { selected.Add(d); break; }
                    if (Directory.Exists(args[i])) { dataDir = args[i]; break; }
                    Console.Error.WriteLine($"Unknown dataset or option '{args[i]}'.");
                    Console.Error.WriteLine("Usage: accuracy --data DIR [sunspots|co2] [--seeds 42,7,...] [--recursive] [--search] [--no-highway]");
                    return 2;
            }
        }
        if (selected.Count == 0) selected.AddRange(Datasets);
        if (seeds.Count == 0) seeds.Add(new TrainingOptions().Seed);
        if (dataDir is null || !Directory.Exists(dataDir))
        {
            Console.Error.WriteLine("Datasets not found: pass --data DIR (the folder holding sunspots_yearly.csv and co2_weekly_mauna_loa.csv).");
            return 2;
        }

        Console.WriteLine($"# accuracy benchmark, data={Path.GetFullPath(dataDir)}, defaults except horizon{string.Concat(flags.Select(f => ", " + f))}, " +
                          $"seeds={string.Join(",", seeds)}, {Environment.ProcessorCount} cores");
        foreach (var d in selected)
        {
            var series = ReadSeries(Path.Combine(dataDir, d.File));
            var results = seeds.Select(seed => Evaluate(d, series, seed, configure)).ToList();
            var first = results[0];
            Console.WriteLine($"## {d.Name}: {series.Length} points ({series.Count(float.IsNaN)} missing), test = last {d.TestLength}, h = {d.Horizon}, " +
                              $"{d.TestLength - d.Horizon + 1} origins; baselines from the issue: {d.Baselines}");
            Console.WriteLine($"   naive RMSE {first.NaiveRmse:F3}, seasonal naive (m = {d.Season}) RMSE {first.SeasonalNaiveRmse:F3} (computed here)");
            foreach (var r in results)
                Console.WriteLine($"   seed {r.Seed,-6} RMSE {r.Rmse,8:F3}  MAE {r.Mae,8:F3}  0.1-0.9 coverage {r.Coverage,6:P1}  train {r.TrainSeconds,6:F1} s  " +
                                  $"epochs {r.EpochsRun,4} (best {r.BestEpoch})  season {r.Season}  window {r.InputWindow}  AR orders {r.Orders}  " +
                                  $"(highway alone RMSE {r.HighwayRmse:F3})");
            double meanRmse = results.Average(r => r.Rmse), meanCoverage = results.Average(r => r.Coverage);
            bool rmseOk = results.All(r => r.Rmse < d.TargetRmse), coverageOk = results.All(r => r.Coverage is >= 0.70 and <= 0.90);
            Console.WriteLine($"   mean RMSE {meanRmse:F3} (target < {d.TargetRmse}): {(rmseOk ? "PASS" : "FAIL")}; " +
                              $"mean coverage {meanCoverage:P1} (target 70-90%): {(coverageOk ? "PASS" : "FAIL")}");
        }
        return 0;
    }

    /// <summary>Trains on everything before the test region and scores every origin of it.</summary>
    public static Result Evaluate(Dataset d, float[] series, ulong seed, Func<TrainingOptions, TrainingOptions>? configure = null)
    {
        int n = series.Length, h = d.Horizon, testStart = n - d.TestLength;
        var options = new TrainingOptions { Horizon = h, Seed = seed };
        if (configure is not null) options = configure(options);
        var clock = Stopwatch.StartNew();
        var trained = ForecastTrainer.Train([series[..testStart]], options);
        double seconds = clock.Elapsed.TotalSeconds;
        var origins = Enumerable.Range(testStart, d.TestLength - h + 1).ToArray();
        var histories = origins.Select(o => series[..o]).ToList();
        var model = trained.Model;
        var forecasts = model.Forecast(histories);
        // The same model with a silent network: what the linear highway alone forecasts.
        var highwayOnly = model.Highway is null ? null
            : new ForecastModel(model.Network.Config.CreateEmpty(), model.InputWindow, model.Horizon, model.Quantiles.ToArray(), model.Scaling, model.Highway,
                strategy: model.Strategy)
                .Forecast(histories);
        double highwaySq = 0;

        double sq = 0, abs = 0, naiveSq = 0, seasonalSq = 0;
        int points = 0, covered = 0;
        for (int k = 0; k < origins.Length; k++)
        {
            int o = origins[k];
            var filled = new float[o];
            SeriesMath.FillGaps(series.AsSpan(0, o), filled);
            var f = forecasts[k];
            f.Quantiles.TryGetValue(0.1f, out var lo);
            f.Quantiles.TryGetValue(0.9f, out var hi);
            for (int t = 0; t < h; t++)
            {
                float actual = series[o + t];
                if (float.IsNaN(actual)) continue;
                double e = f.Mean[t] - actual;
                sq += e * e; abs += Math.Abs(e); points++;
                if (highwayOnly is not null) highwaySq += Math.Pow(highwayOnly[k].Mean[t] - actual, 2);
                double naive = filled[o - 1] - actual;
                naiveSq += naive * naive;
                double seasonal = filled[o + t - d.Season * (t / d.Season + 1)] - actual;
                seasonalSq += seasonal * seasonal;
                if (lo is not null && hi is not null && actual >= lo[t] && actual <= hi[t]) covered++;
            }
        }
        return new Result(d.Name, seed, Math.Sqrt(sq / points), abs / points, (double)covered / points, seconds, trained.EpochsRun,
            Math.Sqrt(naiveSq / points), Math.Sqrt(seasonalSq / points), model.InputWindow, model.SeasonLength,
            model.Highway is null ? "-" : string.Join(",", model.Highway.Orders), trained.BestEpoch, highwayOnly is null ? double.NaN : Math.Sqrt(highwaySq / points));
    }

    /// <summary>Second column of a CSV with a header line; an empty cell (or "nan", "NA") is a missing value.</summary>
    public static float[] ReadSeries(string path)
    {
        var values = new List<float>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = line.Split(',');
            var cell = cells.Length > 1 ? cells[1].Trim() : "";
            values.Add(float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && float.IsFinite(v) ? v : float.NaN);
        }
        return values.ToArray();
    }
}
