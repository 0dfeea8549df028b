// What a series' covariates add, on real series of R's datasets package that come with them (CovariateSuite/: export.R wrote
// the CSVs and manifest.json, r_baselines.R the R figures), on the forecast suite's protocol: train with the default options
// (horizon, the covariates, and futureCovariates for those known in advance) on everything before the test region, forecast h
// steps from every origin in it from the true history (and the known covariates' true future), MASE scaled by the training
// part's seasonal-naive error, 0.1-0.9 coverage. Each series is also trained without its covariates, so their share shows, and
// with its covariates' changes alone (no regression on the known ones' levels, CovariateLevels), so that regression's shows.
// Usage: dotnet run -c Release --project tests/LstmService.Benchmarks -- covariates [--data DIR] [--seed N]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;

namespace LstmService.Benchmarks;

public static class CovariateSuiteBenchmark
{
    public static int Run(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        string dir = Path.Combine(AppContext.BaseDirectory, "CovariateSuite");
        ulong seed = new TrainingOptions().Seed;
        for (int i = 0; i < args.Length; i++)
            if (args[i] == "--data" && i + 1 < args.Length) dir = args[++i];
            else if (args[i] == "--seed" && i + 1 < args.Length) seed = ulong.Parse(args[++i], CultureInfo.InvariantCulture);
        if (!File.Exists(Path.Combine(dir, "manifest.json")))
        {
            Console.Error.WriteLine($"No covariate suite at {Path.GetFullPath(dir)} (give --data DIR, the folder of manifest.json).");
            return 2;
        }
        var r = ReadBaselines(Path.Combine(dir, "r_baselines.tsv"));
        Console.WriteLine($"{"series",-11} {"n",4} {"h",2} {"with",7} {"cov",5} {"changes",7} {"cov",5} {"without",7} {"cov",5} {"levels regressed out",-26} {"changes read",-20} {"train s",7}  R (MASE, cov80)");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        foreach (var s in manifest.RootElement.EnumerateArray())
        {
            string name = s.GetProperty("name").GetString()!;
            int h = s.GetProperty("horizon").GetInt32(), m = s.GetProperty("m").GetInt32(), test = s.GetProperty("test").GetInt32();
            var names = s.GetProperty("covariates").EnumerateArray().Select(e => e.GetString()!).ToArray();
            var known = s.GetProperty("future").EnumerateArray().Select(e => e.GetString()!).ToArray();
            var (y, covariates) = ReadCsv(Path.Combine(dir, s.GetProperty("file").GetString()!), names);
            int n = y.Length, first = n - test;
            double scale = SuiteBenchmark.SeasonalNaiveScale(y, m, first);
            var options = new TrainingOptions { Horizon = h, Seed = seed, FutureCovariates = known };
            var clock = Stopwatch.StartNew();
            var with = ForecastTrainer.Train([new TrainingSeries(y[..first], covariates.ToDictionary(c => c.Key, c => c.Value[..first]))], options).Model;
            double seconds = clock.Elapsed.TotalSeconds;
            var without = ForecastTrainer.Train([y[..first]], options with { FutureCovariates = [] }).Model;
            var changesOnly = ForecastTrainer.Train([new TrainingSeries(y[..first], covariates.ToDictionary(c => c.Key, c => c.Value[..first]))],
                options with { WithoutCovariateLevels = true }).Model;
            var origins = Enumerable.Range(first, test - h + 1).ToList();
            var inputs = origins.Select(o => new ForecastInput(y[..o], covariates.ToDictionary(c => c.Key, c => c.Value[..o]),
                known.ToDictionary(c => c, c => covariates[c][o..(o + h)]))).ToList();
            var (mase, coverage) = SuiteBenchmark.Score(with.Forecast(inputs), origins, y, h, scale);
            var (plain, plainCoverage) = SuiteBenchmark.Score(without.Forecast(origins.Select(o => y[..o]).ToList()), origins, y, h, scale);
            var (changes, changesCoverage) = SuiteBenchmark.Score(changesOnly.Forecast(inputs), origins, y, h, scale);
            var effect = with.Statistics?.CovariateEffect is { } e ? string.Join("+", with.Covariates.Where((_, j) => e.Used[j])) : "none";
            var levels = with.CovariateLevels is { } l
                ? $"{string.Join("+", with.Covariates.Where((_, j) => l.Reads(j)))} (d={l.Difference})" : "none";
            var baselines = r.TryGetValue(name, out var methods) ? string.Join(", ", methods.Select(p => $"{p.Key} {p.Value.Mase:F3} ({p.Value.Coverage:F2})")) : "";
            Console.WriteLine($"{name,-11} {n,4} {h,2} {mase,7:F3} {coverage,5:F2} {changes,7:F3} {changesCoverage,5:F2} {plain,7:F3} {plainCoverage,5:F2} {levels,-26} {effect,-20} {seconds,7:F1}  {baselines}");
        }
        return 0;
    }

    static (float[] Values, Dictionary<string, float[]> Covariates) ReadCsv(string path, string[] names)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',').Select(c => c.Trim('"')).ToList();
        static float Parse(string v) => v.Trim('"') is "" or "NA" ? float.NaN : float.Parse(v.Trim('"'), CultureInfo.InvariantCulture);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        int value = header.IndexOf("value");
        return (rows.Select(f => Parse(f[value])).ToArray(),
            names.ToDictionary(c => c, c => rows.Select(f => Parse(f[header.IndexOf(c)])).ToArray()));
    }

    static Dictionary<string, Dictionary<string, (double Mase, double Coverage)>> ReadBaselines(string path)
    {
        var result = new Dictionary<string, Dictionary<string, (double, double)>>();
        if (!File.Exists(path)) return result;
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split('\t').ToList();
        int series = header.IndexOf("series"), method = header.IndexOf("method"), mase = header.IndexOf("mase"), cov = header.IndexOf("cov80");
        foreach (var f in lines.Skip(1).Select(l => l.Split('\t')))
        {
            if (!result.TryGetValue(f[series], out var methods)) result[f[series]] = methods = [];
            methods[f[method]] = (double.Parse(f[mase], CultureInfo.InvariantCulture), double.Parse(f[cov], CultureInfo.InvariantCulture));
        }
        return result;
    }
}
