using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmService.Kernels;

/// <summary>
/// A zeroed float buffer whose first element sits on a 64-byte boundary. The kernels' rows and panels are multiples of a
/// vector, so every vector load from an aligned buffer stays within one cache line; with line-split loads the
/// single-sequence GEMM (M=1, K=64, N=256) takes a third longer at 512 bits and half again as long at 256 (the
/// benchmark's `kernels` timings). The array lives on the pinned object heap, so its address, and the alignment,
/// never change.
/// </summary>
internal sealed class AlignedBuffer
{
    const int Alignment = 64;
    static readonly int Slack = Alignment / sizeof(float) - 1;

    readonly float[] _array;
    readonly int _offset;

    public static readonly AlignedBuffer Empty = new(0);

    public unsafe AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        if (length == 0) { _array = []; return; }
        _array = GC.AllocateArray<float>(length + Slack, pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _offset = (int)((Alignment - (address % Alignment)) % Alignment) / sizeof(float);
    }

    public int Length { get; }

    public Span<float> Span => _array.AsSpan(_offset, Length);

    public Span<float> AsSpan() => Span;

    public Span<float> AsSpan(int start) => Span[start..];

    public Span<float> AsSpan(int start, int length) => Span.Slice(start, length);

    public ref float this[int index] => ref Span[index];

    /// <summary>Replaces <paramref name="buffer"/> with a larger one when it holds fewer than <paramref name="length"/> floats (contents are not kept).</summary>
    public static void Grow(ref AlignedBuffer buffer, int length)
    {
        if (buffer.Length < length) buffer = new AlignedBuffer(length);
    }

    public static implicit operator Span<float>(AlignedBuffer buffer) => buffer.Span;

    public static implicit operator ReadOnlySpan<float>(AlignedBuffer buffer) => buffer.Span;
}
