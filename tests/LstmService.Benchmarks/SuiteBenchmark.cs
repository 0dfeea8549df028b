// Forecast accuracy against R's forecast package on a suite of real series (the folder of manifest.json, the series' CSV
// files and r_baselines.tsv, given by --data), in process, on the protocol of the forecast-suite.py tool that measures the
// same over HTTP: train with the default options
// (horizon only) on everything before the test region, forecast h steps from every origin in it from the true history;
// MASE scaled by the training part's in-sample seasonal-naive error (m from the manifest), 0.1-0.9 coverage and that
// interval's scaled interval score (msis, M4's MSIS at 80%; the summary's geometric mean).
// With --members, each forecaster of the mix alone, and each classical member against its R counterpart (the smoothing
// against ets, theta against thetaf, the autoregression against auto.arima).
// Each series is also forecast by the same model with its network silenced (zero network weights, the mix's weights kept) and
// by the recipe trained again without the network's correction (TrainingOptions.WithoutNetwork), so the network's share shows.
// --absolute-intervals calibrates one interval width for every origin (TrainingOptions.AbsoluteIntervals), the recipe before its
// intervals in units of the forecasters' disagreement.
// A suite whose manifest gives each series a "kind" of several (yearly, quarterly, monthly, ...) gets a summary per kind too,
// with R's own 80% interval coverage (and how many series fall below 0.50) beside ours.
// --train-last N trains on the last N values before the test region alone (a short history; the test region and MASE's scale
// stay the same; a series left with fewer than its horizon plus 4 values is skipped).
// Usage: dotnet run -c Release --project tests/LstmService.Benchmarks -- suite --data DIR [--cell gru|lstm] [--seed N] [--markdown] [--members] [--absolute-intervals] [--train-last N] [--glitch K [--glitch-train-as-given]] [series ...]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using Statistics = LstmService.Forecasting.Statistics;

namespace LstmService.Benchmarks;

public static class SuiteBenchmark
{
    static readonly string[] BestOf = ["auto.arima", "ets", "theta"];
    // Each classical member of the mix and the R method it is the counterpart of.
    static readonly (string Member, string Method)[] Counterparts = [("exponentialSmoothing", "ets"), ("theta", "theta"), ("autoregression", "auto.arima")];

    public static int Run(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        string dir = "";
        var only = new HashSet<string>();
        bool markdown = false, members = false, absolute = false;
        int trainLast = 0;
        double glitch = 0;
        bool trainAsGiven = false;
        var cell = new TrainingOptions().Cell;
        ulong seed = new TrainingOptions().Seed;
        for (int i = 0; i < args.Length; i++)
            if (args[i] == "--data" && i + 1 < args.Length) dir = args[++i];
            else if (args[i] == "--markdown") markdown = true;
            else if (args[i] == "--seed" && i + 1 < args.Length) seed = ulong.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--cell" && i + 1 < args.Length) cell = Enum.Parse<LstmService.Kernels.RecurrentCell>(args[++i], ignoreCase: true);
            else if (args[i] == "--members") members = true;
            else if (args[i] == "--absolute-intervals") absolute = true;
            else if (args[i] == "--train-last" && i + 1 < args.Length) trainLast = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--glitch" && i + 1 < args.Length) glitch = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--glitch-train-as-given") trainAsGiven = true;
            else only.Add(args[i]);
        if (dir.Length == 0 || !File.Exists(Path.Combine(dir, "manifest.json")))
        {
            Console.Error.WriteLine($"No suite at {Path.GetFullPath(dir)} (give --data DIR, the folder of manifest.json and r_baselines.tsv).");
            return 2;
        }
        // Per series and method: R's MASE and its 80% interval coverage.
        var r = new Dictionary<string, Dictionary<string, (double Mase, double Coverage)>>();
        foreach (var line in File.ReadLines(Path.Combine(dir, "r_baselines.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            if (!r.TryGetValue(f[0], out var methods)) r[f[0]] = methods = [];
            methods[f[6]] = (double.Parse(f[10], CultureInfo.InvariantCulture), double.Parse(f[11], CultureInfo.InvariantCulture));
        }
        Console.WriteLine($"{"series",-15} {"n",5} {"h",3} {"MASE",7} {"silent",7} {"no net",7} {"cov",5} {"train s",7}  {"best R",-10} {"R MASE",7} {"ratio",6} {"silent",6}  transform/seasons/weights");
        var rows = new List<Row>();
        var table = new List<string>
        {
            "| series | n | h | ours | network silenced | without the network | auto.arima | ets | theta | snaive | naive | ours / best R | 0.1-0.9 coverage | train s | scale, seasons, smoothing |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        };
        // With --members: on the series whose network is silenced, the mix's ratio and that of each series' best member
        // alone (chosen knowing the test region): no reweighting of the members can do better than the latter.
        var oracle = new List<(double Mix, double BestMember)>();
        // With --members: per series, each classical member alone over its R counterpart's MASE (in Counterparts' order).
        var counterparts = new List<double[]>();
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        foreach (var s in manifest.RootElement.EnumerateArray())
        {
            string name = s.GetProperty("name").GetString()!;
            if (only.Count > 0 && !only.Contains(name)) continue;
            int h = s.GetProperty("horizon").GetInt32(), m = s.GetProperty("m").GetInt32(), test = s.GetProperty("test").GetInt32();
            var y = File.ReadLines(Path.Combine(dir, s.GetProperty("file").GetString()!)).Skip(1)
                .Select(l => l.Split(',')[^1].Trim().Trim('"')).Select(v => v is "" or "NA" ? float.NaN : float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            int n = y.Length, first = n - test;
            double scale = SeasonalNaiveScale(y, m, first);
            // The series before its glitch (the same array without one).
            var asGiven = glitch != 0 ? y.ToArray() : y;
            if (glitch != 0) AddGlitch(y, first, glitch);
            // A short history: the last values before the test region alone (the scale stays the whole training part's).
            if (trainLast > 0 && first > trainLast)
            {
                int cut = first - trainLast;
                y = y[cut..]; asGiven = asGiven[cut..]; n -= cut; first -= cut;
                if (first < h + 4)
                {
                    Console.WriteLine($"{name,-15} skipped: {first} training values for a horizon of {h}");
                    continue;
                }
            }
            var clock = Stopwatch.StartNew();
            var options = new TrainingOptions { Horizon = h, Cell = cell, Seed = seed, AbsoluteIntervals = absolute };
            var trained = ForecastTrainer.Train([(trainAsGiven ? asGiven : y)[..first]], options);
            double seconds = clock.Elapsed.TotalSeconds;
            var histories = Enumerable.Range(first, test - h + 1).Select(o => y[..o]).ToList();
            // A version may refuse a later history (a zero after a training part the log scale was chosen on, as with
            // --train-last on sunspot.month): the series is reported and left out, as the service would answer 400.
            if (Refusal(trained.Model, histories) is { } refusal)
            {
                Console.WriteLine($"{name,-15} skipped: the version refuses a test history ({refusal})");
                continue;
            }
            var (mase, coverage) = Score(trained.Model, histories, y, h, scale);
            var (silent, _) = Score(trained.Model.WithSilentNetwork(), histories, y, h, scale);
            var (msis, thirds) = IntervalScore(trained.Model, histories, y, h, scale);
            // The recipe without the network: its correction zero before the mix is fitted (as for a short series), so the weights
            // are those the members alone earn, not the full model's with the network member emptied (one epoch: it is not used).
            // A short series' model is already that recipe.
            double withoutNetwork = trained.Model.CorrectionScale == 0 ? mase : Score(
                ForecastTrainer.Train([(trainAsGiven ? asGiven : y)[..first]], options with { Epochs = 1, WithoutNetwork = true }).Model,
                histories, y, h, scale).Mase;
            var rs = r.GetValueOrDefault(name) ?? [];
            var best = BestOf.Where(rs.ContainsKey).MinBy(k => rs[k].Mase);
            double bestMase = best is null ? double.NaN : rs[best].Mase;
            if (members && trained.Model.Statistics is { } st)
            {
                // Each forecaster of the mix alone (weight one), the network one being the members' mean plus its correction.
                var parts = new List<string>();
                var alone = new Dictionary<string, double>();
                double bestMember = double.PositiveInfinity;
                for (int j = 0; j < st.Weights.Count; j++)
                {
                    var onehot = new float[st.Weights.Count]; onehot[j] = 1;
                    string member = Statistics.StatisticalEnsemble.MemberNames[j];
                    alone[member] = Score(trained.Model.WithMixWeights(onehot), histories, y, h, scale).Mase;
                    if (j > 0) bestMember = Math.Min(bestMember, alone[member]);
                    parts.Add($"{member} {alone[member]:F3}");
                }
                if (Counterparts.All(c => alone.ContainsKey(c.Member) && rs.ContainsKey(c.Method)))
                    counterparts.Add(Counterparts.Select(c => alone[c.Member] / rs[c.Method].Mase).ToArray());
                if (trained.Model.CorrectionScale == 0 && double.IsFinite(bestMase)) oracle.Add((mase / bestMase, bestMember / bestMase));
                var mean = new float[st.Weights.Count]; mean[0] = 1;
                parts.Add($"mean {Score(trained.Model.WithSilentNetwork().WithMixWeights(mean), histories, y, h, scale).Mase:F3}");
                Console.WriteLine($"  members {name}: " + string.Join(", ", parts) + $" (R best {bestMase:F3})");
            }
            var each = BestOf.Where(rs.ContainsKey).ToDictionary(k => k, k => mase / rs[k].Mase);
            string kind = s.TryGetProperty("kind", out var k) ? k.GetString() ?? "" : "";
            rows.Add(new Row(mase / bestMase, silent / bestMase, withoutNetwork / bestMase, coverage, seconds, each, kind, rs, msis, m, mase, thirds));
            var model = trained.Model;
            string weights = model.Statistics is null ? "-" : string.Join(",", model.Statistics.Weights.Select(w => w.ToString("F2")));
            string R(string method) => rs.TryGetValue(method, out var v) ? (v.Mase == bestMase ? $"**{v.Mase:F3}**" : $"{v.Mase:F3}") : "-";
            table.Add($"| {name} | {n} | {h} | {(mase < bestMase ? $"**{mase:F3}**" : $"{mase:F3}")} | {silent:F3} | {withoutNetwork:F3} | {R("auto.arima")} | {R("ets")} | {R("theta")} | {R("snaive")} | {R("naive")} | " +
                $"{mase / bestMase:F2} | {coverage:F2} | {seconds:F1} | {model.Transform.ToString().ToLowerInvariant()}, {model.SeasonLength}, {model.Statistics?.Smoothing.Name} |");
            Console.WriteLine($"{name,-15} {n,5} {h,3} {mase,7:F3} {silent,7:F3} {withoutNetwork,7:F3} {coverage,5:F2} {seconds,7:F1}  {best ?? "-",-10} {bestMase,7:F3} {mase / bestMase,6:F2} {silent / bestMase,6:F2}  " +
                $"{model.Transform}/{model.SeasonLength}/{model.Statistics?.Smoothing.Name}/w{model.InputWindow}/{weights}/best epoch {trained.BestEpoch} msis {msis:F3} cov by third {string.Join("/", thirds.Select(c => c.ToString("F2")))}{(mase < bestMase ? "  WIN" : "")}");
        }
        if (rows.Count == 0) return 2;
        if (markdown) foreach (var line in table) Console.WriteLine(line);
        double G(IEnumerable<double> v) => Math.Exp(v.Select(x => Math.Log(x)).Average());
        var seconds2 = rows.Select(x => x.Seconds).Order().ToArray();
        // Geometric-mean MASE ratio against each R method, over the rows that have it.
        string EachMethod(IEnumerable<Row> of) =>
            string.Join(", ", BestOf.Select(k => $"{k} {G(of.Where(x => x.Each.ContainsKey(k)).Select(x => x.Each[k])):F3}"));
        Console.WriteLine("geomean MASE ratio vs each method: " + EachMethod(rows));
        Console.WriteLine($"summary: {rows.Count} series; geomean MASE ratio vs best of auto.arima/ets/theta {G(rows.Select(x => x.Ratio)):F3} " +
            $"(network silenced {G(rows.Select(x => x.Silent)):F3}, recipe without the network {G(rows.Select(x => x.Without)):F3}); beat best R on {rows.Count(x => x.Ratio < 1)}/{rows.Count}; " +
            $"mean 0.1-0.9 coverage {rows.Average(x => x.Coverage):F3} (worst {rows.Min(x => x.Coverage):F2}, {rows.Count(x => x.Coverage < 0.5)} below 0.50); " +
            $"train median {seconds2[seconds2.Length / 2]:F1} s, max {seconds2[^1]:F1} s; geomean scaled interval score (0.1-0.9) {G(rows.Select(x => x.Msis)):F3}");
        // Whether the intervals hold as the horizon lengthens: overlapping windows give far fewer independent residuals at
        // the last steps than at the first, so their calibration is the likelier to under-cover there.
        Console.WriteLine("coverage by horizon third (first, middle, last steps): " +
            string.Join(" / ", Enumerable.Range(0, 3).Select(i => $"{rows.Select(x => x.Thirds[i]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average():F3}")));
        // Against R's seasonal naive forecast on the series with a season: it repeats the last period before each origin, so
        // it stays what it is with --train-last, where the best R method (fitted on the whole training part) is a bound.
        var seasonal = rows.Where(x => x.Season > 1 && x.R.ContainsKey("snaive")).ToList();
        if (seasonal.Count > 0)
            Console.WriteLine($"seasonal naive: on the {seasonal.Count} series with a season, geomean MASE ratio vs snaive {G(seasonal.Select(x => x.Mase / x.R["snaive"].Mase)):F3}");
        if (oracle.Count > 0)
            Console.WriteLine($"members: on the {oracle.Count} series whose network is silenced, geomean MASE ratio vs best R: the mix {G(oracle.Select(x => x.Mix)):F3}, " +
                $"each series' best member alone (chosen knowing the test region) {G(oracle.Select(x => x.BestMember)):F3}");
        if (counterparts.Count > 0)
            Console.WriteLine($"counterparts: on {counterparts.Count} series, geomean MASE ratio of each member alone to R's own method: " +
                string.Join(", ", Counterparts.Select((c, i) => $"{c.Member} / {c.Method} {G(counterparts.Select(x => x[i])):F3}")));
        // Per kind of series (the manifest's "kind": yearly, monthly, ...) when the suite mixes several, with R's own 80%
        // interval coverage beside ours: on a larger suite the kinds differ more than the series within one.
        var kinds = rows.Select(x => x.Kind).Distinct().ToList();
        if (kinds.Count > 1)
            foreach (var kind in kinds)
            {
                var of = rows.Where(x => x.Kind == kind).ToList();
                string RCover(string method) => of.All(x => x.R.ContainsKey(method))
                    ? $"{of.Average(x => x.R[method].Coverage):F3} ({of.Count(x => x.R[method].Coverage < 0.5)})" : "-";
                Console.WriteLine($"kind {kind}: {of.Count} series; geomean MASE ratio vs best {G(of.Select(x => x.Ratio)):F3}, vs " + EachMethod(of) +
                    $"; beat best R on {of.Count(x => x.Ratio < 1)}; coverage {of.Average(x => x.Coverage):F3} ({of.Count(x => x.Coverage < 0.5)} below 0.50), R's 80% intervals " +
                    string.Join(", ", BestOf.Select(m => $"{m} {RCover(m)}")));
            }
        return 0;
    }

    /// <summary>One series' figures: ours over the best R method's MASE (full, silenced, without the network), coverage, training
    /// seconds, ours over each R method's, the manifest's kind, and R's MASE and coverage per method.</summary>
    sealed record Row(double Ratio, double Silent, double Without, double Coverage, double Seconds, Dictionary<string, double> Each, string Kind,
        Dictionary<string, (double Mase, double Coverage)> R, double Msis, int Season, double Mase, double[] Thirds);

    /// <summary>
    /// With --glitch K: one value of the training part, at 60% of it, raised by K of its mean absolute steps (the histories
    /// forecast from keep it; the MASE's scale and the test region do not change). With --glitch-train-as-given the model is
    /// trained on the series without it, which no robust fit can beat.
    /// </summary>
    static void AddGlitch(float[] y, int first, double size)
    {
        double steps = 0;
        int count = 0;
        for (int t = 1; t < first; t++)
            if (!float.IsNaN(y[t]) && !float.IsNaN(y[t - 1])) { steps += Math.Abs(y[t] - y[t - 1]); count++; }
        int at = (int)(first * 0.6);
        if (count > 0 && !float.IsNaN(y[at])) y[at] += (float)(size * steps / count);
    }

    /// <summary>MASE's scale: the mean absolute seasonal-naive error over the training part y[..first] (pairs both observed).</summary>
    internal static double SeasonalNaiveScale(float[] y, int m, int first)
    {
        double scale = 0; int pairs = 0;
        for (int t = m; t < first; t++)
            if (!float.IsNaN(y[t]) && !float.IsNaN(y[t - m])) { scale += Math.Abs(y[t] - y[t - m]); pairs++; }
        return scale / pairs;
    }

    /// <summary>
    /// The 0.1-0.9 interval's scaled interval score (M4's MSIS at 80%: width plus 2/0.2 times each miss, over the MASE's
    /// scale), averaged over every origin and step: sharper intervals score lower at the same coverage. With it, the
    /// interval's coverage over the first, middle and last third of the horizon's steps.
    /// </summary>
    static (double Msis, double[] Thirds) IntervalScore(ForecastModel model, List<float[]> histories, float[] y, int h, double scale)
    {
        var forecasts = model.Forecast(histories);
        double sum = 0; int points = 0;
        var inside = new double[3];
        var counted = new double[3];
        for (int k = 0; k < histories.Count; k++)
        {
            if (!forecasts[k].Quantiles.TryGetValue(0.1f, out var lo) || !forecasts[k].Quantiles.TryGetValue(0.9f, out var hi)) return (double.NaN, [double.NaN, double.NaN, double.NaN]);
            for (int t = 0; t < h; t++)
            {
                float actual = y[histories[k].Length + t];
                if (float.IsNaN(actual)) continue;
                sum += hi[t] - lo[t] + 10 * Math.Max(0, lo[t] - actual) + 10 * Math.Max(0, actual - hi[t]);
                points++;
                int third = Math.Min(2, 3 * t / h);
                counted[third]++;
                if (actual >= lo[t] && actual <= hi[t]) inside[third]++;
            }
        }
        return (sum / points / scale, [.. inside.Select((v, i) => counted[i] > 0 ? v / counted[i] : double.NaN)]);
    }

    /// <summary>Why <paramref name="model"/> refuses one of <paramref name="histories"/>, or null.</summary>
    static string? Refusal(ForecastModel model, List<float[]> histories)
    {
        try { model.Forecast(histories); return null; }
        catch (ArgumentException e) { return e.Message; }
    }

    /// <summary>MASE and 0.1-0.9 coverage of a model's forecasts from every history against the truth that followed it.</summary>
    static (double Mase, double Coverage) Score(ForecastModel model, List<float[]> histories, float[] y, int h, double scale) =>
        Score(model.Forecast(histories), histories.Select(history => history.Length).ToList(), y, h, scale);

    /// <summary>MASE and 0.1-0.9 coverage of forecasts made at <paramref name="origins"/> against the truth that followed each.</summary>
    internal static (double Mase, double Coverage) Score(IReadOnlyList<SeriesForecast> forecasts, IReadOnlyList<int> origins, float[] y, int h, double scale)
    {
        double abs = 0; int points = 0, inside = 0, counted = 0;
        for (int k = 0; k < origins.Count; k++)
        {
            int o = origins[k];
            for (int t = 0; t < h; t++)
            {
                float actual = y[o + t];
                if (float.IsNaN(actual)) continue;
                abs += Math.Abs(forecasts[k].Mean[t] - actual); points++;
                if (forecasts[k].Quantiles.TryGetValue(0.1f, out var lo) && forecasts[k].Quantiles.TryGetValue(0.9f, out var hi))
                {
                    counted++;
                    if (actual >= lo[t] && actual <= hi[t]) inside++;
                }
            }
        }
        return (abs / points / scale, counted > 0 ? (double)inside / counted : double.NaN);
    }
}
