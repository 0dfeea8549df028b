using System.Numerics.Tensors;

namespace LstmService.Kernels;

/// <summary>
/// Backward steps the LSTM and GRU workspaces take alike, on their buffers: the same calls in the same order, so both
/// stay bit-identical to what each wrote for itself. Static and span-based, so nothing virtual or allocating enters a pass.
/// </summary>
internal static class GatedBackward
{
    /// <summary>
    /// For batch rows [b0, b1) of layer input gradient <paramref name="dx"/> (width H, below the top layer): applies the
    /// dropout mask when there is one, then packs the layer's inputs and previous hidden states (rows of K = B x T) for
    /// the weight-gradient GEMMs.
    /// </summary>
    public static void MaskAndPackRows(Span<float> dx, bool masked, AlignedBuffer mask, ReadOnlySpan<float> layerInput, int il,
        AlignedBuffer h0, ReadOnlySpan<float> y, int b0, int b1, int t, int h, int bt, AlignedBuffer packX, AlignedBuffer packHprev)
    {
        int nb = b1 - b0;
        if (masked)
        {
            var m = mask.AsSpan(b0 * t * h, nb * t * h);
            var d = dx.Slice(b0 * t * h, nb * t * h);
            TensorPrimitives.Multiply(d, m, d);
        }
        Gemm.PackBRows(layerInput[(b0 * t * il)..], il, b0 * t, nb * t, bt, il, packX);
        for (int b = b0; b < b1; b++)
        {
            Gemm.PackBRows(h0.AsSpan(b * h, h), h, b * t, 1, bt, h, packHprev);
            if (t > 1) Gemm.PackBRows(y[(b * t * h)..], h, b * t + 1, t - 1, bt, h, packHprev);
        }
    }

    /// <summary>dW_head = dOutᵀ · h_T (h_T packed during the recurrence) and db_head = column sums of dOut, in batch order.</summary>
    public static void HeadGradients(Span<float> dW, Span<float> db, AlignedBuffer dOut, AlignedBuffer packHeadIn, int batch, int h, int o, bool accumulate)
    {
        Gemm.Multiply(o, h, batch, dOut, 1, o, packHeadIn, dW, h, accumulate);
        if (!accumulate) db.Clear();
        for (int b = 0; b < batch; b++) TensorPrimitives.Add(db, dOut.AsSpan(b * o, o), db);
    }
}
