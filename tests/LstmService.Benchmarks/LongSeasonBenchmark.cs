using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Benchmarks;

/// <summary>
/// Trains on three periods of a season the smoothing cannot fit, which theta carries, given as <c>seasonLength</c>, and
/// forecasts from the same history: the mean 0.1-0.9 interval width, coverage and mean absolute error over the horizon,
/// the validation part's coverage (the training's backtest) and a seasonal naive forecast's error. The series: a level of
/// 80-120, a sine of amplitude 15-30 and its second harmonic at three tenths, and AR(1) noise (φ = 0.5, innovations of 4,
/// so a deviation of 4.6 and an ideal width of 11.8). <c>hourly</c>: 504 hours of a weekly season (168), horizon 24;
/// <c>daily</c>: 1,095 days of a yearly one (365), horizon 30.
/// Usage: long-seasons [--reps N] [hourly|daily ...]
/// </summary>
static class LongSeasonBenchmark
{
    static readonly string[] Kinds = ["hourly", "daily"];

    public static int Run(string[] args)
    {
        int reps = 8;
        var kinds = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--reps" && i + 1 < args.Length) reps = int.Parse(args[++i]);
            else if (Kinds.Contains(args[i])) kinds.Add(args[i]);
            else { Console.Error.WriteLine($"Unknown option '{args[i]}'. Options: --reps N, kinds {string.Join(" ", Kinds)}"); return 2; }
        }
        if (kinds.Count == 0) kinds.AddRange(Kinds);
        foreach (var kind in kinds)
        {
            var (m, horizon, period) = kind == "hourly" ? (168, 24, 168.0) : (365, 30, 365.25);
            double width = 0, covered = 0, error = 0, naive = 0, validation = 0, thetaWeight = 0;
            for (int rep = 0; rep < reps; rep++)
            {
                var all = Series((ulong)(1000 + rep), 3 * m + horizon, period);
                var history = all[..(3 * m)];
                var result = ForecastTrainer.Train([history], new TrainingOptions { Horizon = horizon, SeasonLength = m });
                var forecast = result.Model.Forecast([history])[0];
                validation += result.Metrics.IntervalCoverage["0.1-0.9"] / reps;
                thetaWeight += (result.Model.Statistics?.Weights[Forecasting.Statistics.StatisticalEnsemble.ThetaWeight] ?? 0) / reps;
                for (int h = 0; h < horizon; h++)
                {
                    float y = all[3 * m + h], low = forecast.Quantiles[0.1f][h], high = forecast.Quantiles[0.9f][h];
                    width += (high - low) / (reps * horizon);
                    covered += (y >= low && y <= high ? 1.0 : 0.0) / (reps * horizon);
                    error += Math.Abs(forecast.Mean[h] - y) / (reps * horizon);
                    naive += Math.Abs(all[3 * m + h - m] - y) / (reps * horizon);
                }
            }
            Console.WriteLine($"{kind} (season {m}, {reps} series): width {width:F2}, coverage {covered:F3}, MAE {error:F3} " +
                $"(seasonal naive {naive:F3}), validation coverage {validation:F3}, theta's weight {thetaWeight:F2}");
        }
        return 0;
    }

    static float[] Series(ulong seed, int length, double period)
    {
        var rng = new SeededRandom(seed);
        double amplitude = 15 + 15 * rng.NextFloat(), level = 80 + 40 * rng.NextFloat(), phase = 6.28 * rng.NextFloat(), noise = 0;
        var values = new float[length];
        for (int t = 0; t < length; t++)
        {
            noise = 0.5 * noise + 4 * rng.NextGaussian();
            values[t] = (float)(level + amplitude * Math.Sin(2 * Math.PI * t / period + phase) + 0.3 * amplitude * Math.Sin(4 * Math.PI * t / period) + noise);
        }
        return values;
    }
}
