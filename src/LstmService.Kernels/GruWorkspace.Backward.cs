using System.Numerics.Tensors;

namespace LstmService.Kernels;

// The backward pass's parallel parts: the recurrence by batch rows, then weight gradients by gate rows.
public sealed partial class GruWorkspace
{
    /// <summary>
    /// Back-propagates dL/d(head output) [B, O] and, optionally, dL/d(last layer's sequence) [B, T, H] and dL/dh_n
    /// [L, B, H] through the last <see cref="Forward"/>. Parameter gradients go to <see cref="GruNetwork.Gradients"/>
    /// (added to what is there with <paramref name="accumulate"/>).
    /// </summary>
    public void Backward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> sequenceGradient = default,
        ReadOnlySpan<float> finalHiddenGradient = default, bool accumulate = false)
    {
        if (Batch == 0 || _stepScratch) throw new InvalidOperationException("Backward needs a Forward first (Infer keeps no activations).");
        // Backward turns the stored gates into their gradients, so a second Backward needs a fresh Forward.
        if (_gatesHoldGradients) throw new InvalidOperationException("Backward was already run for this Forward; run Forward again.");
        int b = Batch, t = Steps, o = _cfg.OutputSize, stateLen = _layers * b * _h;
        if (outputGradient.Length != b * o) throw new ArgumentException($"Output gradient must hold B x O = {b * o} values.", nameof(outputGradient));
        if (!sequenceGradient.IsEmpty && sequenceGradient.Length != b * t * _h) throw new ArgumentException($"Sequence gradient must be empty or hold B x T x H = {b * t * _h} values.", nameof(sequenceGradient));
        if (!finalHiddenGradient.IsEmpty && finalHiddenGradient.Length != stateLen) throw new ArgumentException("h_n gradient must be empty or hold L x B x H values.", nameof(finalHiddenGradient));
        EnsureBackward();
        outputGradient.CopyTo(_dOut);
        var dy = _dY[_layers - 1].AsSpan(0, b * t * _h);
        if (sequenceGradient.IsEmpty) dy.Clear(); else sequenceGradient.CopyTo(dy);
        // dH0 holds dL/dh_n going in and dL/dh0 coming out, per layer.
        if (finalHiddenGradient.IsEmpty) _dH0.AsSpan(0, stateLen).Clear(); else finalHiddenGradient.CopyTo(_dH0);
        _accumulate = accumulate;
        _packedW = _net.GetPacked(forBackward: true);
        _phase = Phase.Backward;
        _gatesHoldGradients = true;
        _net.Team.Run(this, _threads);
        _phase = Phase.WeightGradients;
        _net.Team.Run(this, Math.Min(_net.Team.Size, Math.Min(MaxThreads, _g >= 4 * Gemm.TileRows ? 2 : 1)));
    }

    void BackwardRows(int part, int parts)
    {
        var (b0, b1) = WorkPartition.Split(Batch, part, parts);
        int nb = b1 - b0;
        if (nb == 0) return;
        int t = Steps, h = _h, g = _g, o = _cfg.OutputSize, bt = Batch * t;
        var pw = _packedW!;
        // Head: dh_T += dOut · W_head; keep h_T packed for dW_head.
        Gemm.Multiply(nb, h, o, _dOut.AsSpan(b0 * o), o, 1, pw.Head, _dY[_layers - 1].AsSpan(((b0 * t) + t - 1) * h), t * h, accumulate: true);
        Gemm.PackBRows(_y[_layers - 1].AsSpan(((b0 * t) + t - 1) * h), t * h, b0, nb, Batch, h, _packHeadIn);
        for (int l = _layers - 1; l >= 0; l--)
        {
            int il = _cfg.LayerInput(l);
            var gx = _gx[l].AsSpan(); var gh = _gh[l].AsSpan(); var y = _y[l].AsSpan(); var dy = _dY[l].AsSpan();
            var dh = _dHrec.AsSpan(b0 * h, nb * h);
            int stateOffset = (l * Batch + b0) * h;
            _dH0.AsSpan(stateOffset, nb * h).CopyTo(dh);
            for (int s = t - 1; s >= 0; s--)
            {
                for (int b = b0; b < b1; b++)
                {
                    int row = b * t + s;
                    var dhb = dh.Slice((b - b0) * h, h);
                    TensorPrimitives.Add(dhb, dy.Slice(row * h, h), dhb);
                    ReadOnlySpan<float> hPrev = s == 0 ? _h0[l].AsSpan(b * h, h) : y.Slice((row - 1) * h, h);
                    GruCell.Backward(gx.Slice(row * g, g), gh.Slice(row * g, g), hPrev, dhb);
                }
                // The only sequential product: dh_{t-1} = z ⊙ dh_t (left by the cell) + dGh_t · W_hh.
                Gemm.Multiply(nb, h, g, gh[((b0 * t + s) * g)..], t * g, 1, pw.Recurrent[l], dh, h, accumulate: true);
            }
            dh.CopyTo(_dH0.AsSpan(stateOffset, nb * h));
            // dX for every step in one GEMM; it is the layer below's output gradient (through its dropout mask).
            var dx = l > 0 ? _dY[l - 1].AsSpan() : _dX0.AsSpan();
            Gemm.Multiply(nb * t, il, g, gx[(b0 * t * g)..], g, 1, pw.Input[l], dx[(b0 * t * il)..], il, accumulate: false);
            GatedBackward.MaskAndPackRows(dx, l > 0 && _dropout, _mask[l], LayerInput(l), il, _h0[l], y, b0, b1, t, h, bt, _packX[l], _packHprev[l]);
        }
    }

    void WeightGradients(int part, int parts)
    {
        int h = _h, g = _g, bt = Batch * Steps, o = _cfg.OutputSize;
        var (r0, r1) = WorkPartition.Split(g, part, parts, Gemm.TileRows);
        int nr = r1 - r0;
        bool acc = _accumulate;
        for (int l = 0; l < _layers && nr > 0; l++)
        {
            int il = _cfg.LayerInput(l);
            var dGx = _gx[l].AsSpan(); var dGh = _gh[l].AsSpan();
            // dW_ih = dGxᵀ · X and dW_hh = dGhᵀ · H_prev, each one GEMM over all B x T rows; the biases are column sums.
            Gemm.Multiply(nr, il, bt, dGx[r0..], 1, g, _packX[l], _net.Gradient(GruParameterLayout.WeightIh(l))[(r0 * il)..], il, acc);
            Gemm.Multiply(nr, h, bt, dGh[r0..], 1, g, _packHprev[l], _net.Gradient(GruParameterLayout.WeightHh(l))[(r0 * h)..], h, acc);
            var dbIh = _net.Gradient(GruParameterLayout.BiasIh(l)).Slice(r0, nr);
            var dbHh = _net.Gradient(GruParameterLayout.BiasHh(l)).Slice(r0, nr);
            if (!acc) { dbIh.Clear(); dbHh.Clear(); }
            WorkPartition.ColumnSums(dGx, g, r0, nr, bt, dbIh);
            WorkPartition.ColumnSums(dGh, g, r0, nr, bt, dbHh);
        }
        if (part == 0)
        {
            GatedBackward.HeadGradients(_net.Gradient(GruParameterLayout.HeadWeight), _net.Gradient(GruParameterLayout.HeadBias), _dOut, _packHeadIn, Batch, h, o, acc);
        }
    }
}
