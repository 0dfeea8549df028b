using System.Numerics.Tensors;

namespace LstmService.Kernels;

/// <summary>
/// The pieces the recurrent workspaces (<see cref="LstmWorkspace"/>, <see cref="GruWorkspace"/>) share so that both
/// split work, sum bias gradients and draw dropout masks the same way: one definition keeps their results comparable
/// and each bit-identical for any thread count.
/// </summary>
internal static class WorkPartition
{
    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of [0, count), chunks rounded up to <paramref name="align"/>.</summary>
    public static (int Start, int End) Split(int count, int part, int parts, int align = 1)
    {
        int chunk = (count + parts - 1) / parts;
        chunk = (chunk + align - 1) / align * align;
        int start = Math.Min(count, part * chunk);
        return (start, Math.Min(count, start + chunk));
    }

    /// <summary>sums += column sums of columns [col0, col0 + cols) over <paramref name="rows"/> rows, in row order.</summary>
    public static void ColumnSums(ReadOnlySpan<float> m, int ld, int col0, int cols, int rows, Span<float> sums)
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(sums, m.Slice(r * ld + col0, cols), sums);
    }

    /// <summary>
    /// Inverted dropout on elements [start, end) of layer <paramref name="layer"/>'s input: the mask depends only on the
    /// seed, the layer and the element's index, so any split of the rows draws the same mask.
    /// </summary>
    public static void Dropout(ulong seed, int layer, float p, ReadOnlySpan<float> src, Span<float> dst, Span<float> mask, int start, int end)
    {
        float keep = 1f / (1f - p);
        ulong layerSeed = seed ^ ((ulong)layer * 0x9E3779B97F4A7C15UL);
        for (int i = start; i < end; i++)
        {
            float m = SeededRandom.HashToUnit(layerSeed, (ulong)i) < p ? 0f : keep;
            mask[i] = m;
            dst[i] = src[i] * m;
        }
    }
}
