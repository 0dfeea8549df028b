using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A season too long for the smoothing (a week of hours over three weeks), which theta carries: the validation windows
/// must score theta as a forecast from their history does, its seasonal index read from the values before each origin.
/// Read from the whole series, the index held each window's own targets: theta took nine tenths of the mix and the
/// intervals, calibrated on those windows, covered 0.66 of them (0.75 of the values after the history); now 0.79 (0.82).
/// </summary>
public class LongSeasonIntervalTests
{
    [Fact]
    public void TheValidationWindowsCoverAsTheIntervalsPromise()
    {
        const int m = 168, h = 24;
        double validation = 0, inside = 0, points = 0;
        for (ulong seed = 0; seed < 4; seed++)
        {
            var rng = new SeededRandom(700 + seed);
            double amplitude = 15 + 15 * rng.NextFloat(), level = 80 + 40 * rng.NextFloat(), phase = 6.28 * rng.NextFloat(), noise = 0;
            var all = new float[3 * m + h];
            for (int t = 0; t < all.Length; t++)
            {
                noise = 0.5 * noise + 4 * rng.NextGaussian();
                all[t] = (float)(level + amplitude * Math.Sin(2 * Math.PI * t / m + phase) + 0.3 * amplitude * Math.Sin(4 * Math.PI * t / m) + noise);
            }
            var history = all[..(3 * m)];
            // A small network for a few epochs: the calibration of the members is what is tested, and the default one took
            // minutes on the 128-bit and scalar paths.
            var options = new TrainingOptions { Horizon = h, SeasonLength = m, Seed = 42, HiddenSize = 8, Ensemble = 1, Epochs = 5 };
            var result = ForecastTrainer.Train([history], options);
            validation += result.Metrics.IntervalCoverage["0.1-0.9"] / 4;
            var forecast = result.Model.Forecast([history])[0];
            for (int k = 0; k < h; k++, points++)
                if (all[3 * m + k] >= forecast.Quantiles[0.1f][k] && all[3 * m + k] <= forecast.Quantiles[0.9f][k]) inside++;
        }
        Assert.InRange(validation, 0.75, 0.9);
        Assert.InRange(inside / points, 0.6, 0.97);
    }
}
