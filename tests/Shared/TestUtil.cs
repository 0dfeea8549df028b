using System.Globalization;
using System.Numerics;

using LstmService.Kernels;

namespace LstmService.TestSupport;

/// <summary>
/// Shared test helpers: seeded random data, tolerance comparisons with readable failure messages. Linked into the
/// kernel and the forecasting test projects (one source, no copies).
/// </summary>
internal static class TestUtil
{
    /// <summary>A recognisable NaN payload: any write over it (even another NaN) changes its bits.</summary>
    public static readonly float Sentinel = BitConverter.Int32BitsToSingle(unchecked((int)0x7FC0_5EED));

    /// <summary>3 x Vector&lt;float&gt;.Count + 1: sizes 0..Edge cover empty, tails, one, two and three full vectors.</summary>
    public static int Edge => 3 * Vector<float>.Count + 1;

    public static float[] Random(SeededRandom rng, int length, float low = -1f, float high = 1f)
    {
        var a = new float[length];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextUniform(low, high);
        return a;
    }

    public static bool IsSentinel(float v) => BitConverter.SingleToInt32Bits(v) == BitConverter.SingleToInt32Bits(Sentinel);

    /// <summary>Asserts every element outside [start, start + length) still holds <see cref="Sentinel"/>.</summary>
    public static void AssertSentinelsOutside(ReadOnlySpan<float> buffer, int start, int length, string what)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            if (i >= start && i < start + length) continue;
            if (!IsSentinel(buffer[i])) throw new Xunit.Sdk.XunitException($"{what}: sentinel at index {i} was overwritten with {buffer[i]}.");
        }
    }

    /// <summary>
    /// Asserts |actual - expected| &lt;= atol + rtol * |expected| element-wise (NaN never passes, infinities must match);
    /// returns the largest absolute error.
    /// </summary>
    public static double AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        if (expected.Length != actual.Length) throw new Xunit.Sdk.XunitException($"{what}: length {actual.Length}, expected {expected.Length}.");
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsInfinity(e) || double.IsInfinity(a))
            {
                if (e != a) throw new Xunit.Sdk.XunitException($"{what}[{i}]: {Fmt(a)}, expected {Fmt(e)}.");
                continue;
            }
            double err = Math.Abs(a - e);
            if (!(err <= atol + rtol * Math.Abs(e)))
                throw new Xunit.Sdk.XunitException($"{what}[{i}]: {Fmt(a)}, expected {Fmt(e)} (|err| {err:G3} > atol {atol:G3} + rtol {rtol:G3} x |expected|).");
            worst = Math.Max(worst, err);
        }
        return worst;
    }

    /// <summary>Same as <see cref="AssertClose(ReadOnlySpan{float}, ReadOnlySpan{float}, double, double, string)"/> against double references.</summary>
    public static CompareResult AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        if (expected.Length != actual.Length) throw new Xunit.Sdk.XunitException($"{what}: length {actual.Length}, expected {expected.Length}.");
        double maxAbs = 0, worstRatio = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            double err = Math.Abs(a - e), allowed = atol + rtol * Math.Abs(e);
            if (!(err <= allowed))
                throw new Xunit.Sdk.XunitException($"{what}[{i}]: {Fmt(a)}, expected {Fmt(e)} (|err| {err:G3} > atol {atol:G3} + rtol {rtol:G3} x |expected|).");
            maxAbs = Math.Max(maxAbs, err);
            if (worstIndex < 0 || err / allowed > worstRatio) { worstRatio = err / allowed; worstIndex = i; }
        }
        return new CompareResult(what, maxAbs, worstRatio, worstIndex);
    }

    public static void AssertBitEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        if (expected.Length != actual.Length) throw new Xunit.Sdk.XunitException($"{what}: length {actual.Length}, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                throw new Xunit.Sdk.XunitException($"{what}[{i}]: {Fmt(actual[i])} is not bit-identical to {Fmt(expected[i])}.");
    }

    public static string Fmt(double v) => v.ToString("G9", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="values"/> followed by <paramref name="pad"/> <see cref="Sentinel"/>s, so a kernel writing past the
    /// row it was given shows as an overwritten sentinel.
    /// </summary>
    public static float[] WithSentinels(ReadOnlySpan<float> values, int pad = 3)
    {
        var a = new float[values.Length + pad];
        Array.Fill(a, Sentinel);
        values.CopyTo(a);
        return a;
    }

    /// <summary>A zero row of <paramref name="length"/> fenced by sentinels (see <see cref="WithSentinels"/>).</summary>
    public static float[] SentinelOnly(int length) => WithSentinels(new float[length]);

    /// <summary>The logistic function in double, for references computed independently of the float kernels.</summary>
    public static double Sig(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>
    /// Warms <paramref name="step"/> with four calls, then asserts that at least two of three windows of five calls allocate
    /// nothing on this thread. The runtime itself may allocate once at an unlucky moment (seen once in a cold CI run: 8136
    /// bytes in one window, never reproduced), so one window may be non-zero; an allocation per call shows in every window.
    /// </summary>
    public static void AssertWarmCallsDoNotAllocate(Action<ulong> step, Action<string> log, string label)
    {
        for (int i = 0; i < 4; i++) step((ulong)i);
        var windows = new long[3];
        for (int w = 0; w < windows.Length; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++) step((ulong)(5 * w + i));
            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        log($"{label}: {string.Join(", ", windows)} bytes allocated in three windows of 5 calls");
        Xunit.Assert.True(windows.Count(a => a == 0) >= 2, $"Allocations per window of 5 calls: {string.Join(", ", windows)} bytes.");
    }
}

/// <summary>The element with the largest error-to-allowance ratio in one comparison.</summary>
internal readonly record struct CompareResult(string What, double MaxAbsError, double WorstRatio, int WorstIndex)
{
    public override string ToString() => $"{What}: max |err| {MaxAbsError:E2}, worst {WorstRatio:P1} of tolerance at [{WorstIndex}]";
}
