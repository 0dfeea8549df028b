using System.Globalization;
using System.Runtime.InteropServices;
using LstmService.Kernels;

namespace LstmService.Benchmarks;

/// <summary>
/// Single-kernel timings behind the README's tuning notes: the per-step GEMMs and the cells (LSTM, GRU) of the H = 64 workloads,
/// with their buffers 64-byte aligned and, for comparison, 16 bytes off (what a plain float[] may give).
/// </summary>
public static class KernelMicrobenchmarks
{
    public static int Run(string[] args)
    {
        double seconds = 1;
        if (args.Length == 2 && args[0] == "--seconds" && double.TryParse(args[1], CultureInfo.InvariantCulture, out var s) && s > 0) seconds = s;
        else if (args.Length > 0)
        {
            Console.Error.WriteLine("Usage: kernels [--seconds N]");
            return 2;
        }
        Console.WriteLine($"# lstmservice kernel timings path={KernelInfo.ActivePath} (one thread, median per call)");
        foreach (int offset in new[] { 0, 4 })
        {
            string where = offset == 0 ? "aligned" : "16 B off";
            Gemm(1, 64, 256, offset, where, seconds);
            Gemm(8, 64, 128, offset, where, seconds);
            Gemm(128, 64, 256, offset, where, seconds);
        }
        Cell(64, peepholes: false, seconds);
        Cell(64, peepholes: true, seconds);
        GruCellTiming(64, seconds);
        return 0;
    }

    /// <summary>A pinned buffer of <paramref name="length"/> floats starting <paramref name="offset"/> floats after a 64-byte boundary.</summary>
    static ArraySegment<float> Buffer(int length, int offset, SeededRandom rng)
    {
        var array = GC.AllocateArray<float>(length + 32, pinned: true);
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject();
        handle.Free();
        int start = (int)((64 - address % 64) % 64) / sizeof(float) + offset;
        for (int i = 0; i < length; i++) array[start + i] = rng.NextUniform(-0.5f, 0.5f);
        return new ArraySegment<float>(array, start, length);
    }

    static void Gemm(int m, int k, int n, int offset, string where, double seconds)
    {
        var rng = new SeededRandom(7);
        var a = Buffer(m * k, offset, rng);
        var b = Buffer(k * n, 0, rng);
        var packed = Buffer(Kernels.Gemm.PackedLength(k, n), offset, rng);
        var c = Buffer(m * n, offset, rng);
        Kernels.Gemm.PackB(b, n, k, n, packed);
        double t = Timing.MedianStepSeconds(() => Kernels.Gemm.Multiply(m, n, k, a, k, 1, packed, c, n, accumulate: true), seconds);
        Console.WriteLine($"gemm M={m} K={k} N={n} ({where})\t{t * 1e6:F3} us\t{2.0 * m * n * k / t / 1e9:F1} GFLOP/s");
    }

    static void Cell(int h, bool peepholes, double seconds)
    {
        var rng = new SeededRandom(8);
        var pre = Buffer(4 * h, 0, rng);
        var gates = Buffer(4 * h, 0, rng);
        var cPrev = Buffer(h, 0, rng);
        var peep = peepholes ? Buffer(3 * h, 0, rng) : default;
        var (cell, tanhC, hidden) = (Buffer(h, 0, rng), Buffer(h, 0, rng), Buffer(h, 0, rng));
        // Each call activates the gates in place, so it starts from a fresh copy of the pre-activations (timed alone too).
        double copy = Timing.MedianStepSeconds(() => pre.AsSpan().CopyTo(gates), seconds);
        double t = Timing.MedianStepSeconds(() =>
        {
            pre.AsSpan().CopyTo(gates);
            LstmCell.Forward(gates, cPrev, peep, cell, tanhC, hidden);
        }, seconds);
        Console.WriteLine($"cell forward H={h} peepholes={peepholes}\t{(t - copy) * 1e9:F1} ns");
    }

    static void GruCellTiming(int h, double seconds)
    {
        var rng = new SeededRandom(9);
        var pre = Buffer(3 * h, 0, rng);
        var gatesX = Buffer(3 * h, 0, rng);
        var gatesH = Buffer(3 * h, 0, rng);
        var (hPrev, hidden) = (Buffer(h, 0, rng), Buffer(h, 0, rng));
        // As for the LSTM cell: the x-side row is activated in place, so each call starts from a copy (timed alone too).
        double copy = Timing.MedianStepSeconds(() => pre.AsSpan().CopyTo(gatesX), seconds);
        double t = Timing.MedianStepSeconds(() =>
        {
            pre.AsSpan().CopyTo(gatesX);
            GruCell.Forward(gatesX, gatesH, hPrev, hidden);
        }, seconds);
        Console.WriteLine($"gru cell forward H={h}\t{(t - copy) * 1e9:F1} ns");
    }
}
