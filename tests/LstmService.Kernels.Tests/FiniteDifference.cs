using Xunit.Abstractions;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>
/// Central finite differences (float32 forward, loss summed in double) against an analytic gradient, with the tolerances
/// the LSTM's and the GRU's gradient checks share.
/// </summary>
internal static class FiniteDifference
{
    public const float Eps = 1e-2f;
    public const double Rtol = 2e-2, Atol = 5e-5;

    /// <summary>
    /// Moves <paramref name="values"/>[<paramref name="index"/>] by ±<see cref="Eps"/> (calling <paramref name="changed"/>
    /// after each write), asserts the central difference of <paramref name="loss"/> matches <paramref name="analytic"/>,
    /// and returns the error as a fraction of the allowance.
    /// </summary>
    public static double Check(Func<double> loss, float[] values, int index, float analytic, Action changed, string what, ITestOutputHelper? log = null)
    {
        float v = values[index];
        values[index] = v + Eps; changed();
        double up = loss();
        values[index] = v - Eps; changed();
        double down = loss();
        values[index] = v; changed();
        double fd = (up - down) / (2.0 * Eps);
        double err = Math.Abs(fd - analytic), allowed = Atol + Rtol * Math.Max(Math.Abs(fd), Math.Abs(analytic));
        log?.WriteLine($"  {what}: analytic {analytic:G6}, finite difference {fd:G6}, |err| {err:E2}");
        Assert.True(err <= allowed, $"{what}: analytic gradient {Fmt(analytic)} vs finite difference {Fmt(fd)} (|err| {err:G3} > {allowed:G3}).");
        return err / allowed;
    }

    /// <summary><paramref name="count"/> indices below <paramref name="length"/> drawn from <paramref name="rng"/> (repeats allowed).</summary>
    public static IEnumerable<int> Pick(SeededRandom rng, int length, int count)
    {
        for (int i = 0; i < count; i++) yield return rng.NextInt(length);
    }
}
