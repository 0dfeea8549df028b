using System.Diagnostics;

namespace LstmService.Benchmarks;

static class Timing
{
    // Warms up (at least 3 steps and 1 s, so tiered JIT and OSR reach optimised code), then times steps for
    // the given duration and returns the median seconds per step. Sub-50 µs steps are timed in small batches.
    public static double MedianStepSeconds(Action step, double seconds)
    {
        var clock = Stopwatch.StartNew();
        int warm = 0;
        while (warm < 3 || clock.Elapsed.TotalSeconds < 1.0) { step(); warm++; }
        double estimate = clock.Elapsed.TotalSeconds / warm;
        int batch = (int)Math.Clamp(Math.Ceiling(50e-6 / estimate), 1, 1000);

        var samples = new List<double>(capacity: (int)Math.Min(1_000_000, seconds / (estimate * batch) * 2 + 16));
        long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        while (samples.Count < 5 || Stopwatch.GetTimestamp() < end)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++) step();
            samples.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds / batch);
        }
        samples.Sort();
        int n = samples.Count;
        return n % 2 == 1 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
    }
}
