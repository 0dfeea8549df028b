using System.Numerics.Tensors;

namespace LstmService.Kernels;

// The backward pass's parallel parts: the recurrence by batch rows, then weight gradients by gate rows.
public sealed partial class LstmWorkspace
{
    void BackwardRows(int part, int parts)
    {
        var (b0, b1) = WorkPartition.Split(Batch, part, parts);
        int nb = b1 - b0;
        if (nb == 0) return;
        int t = Steps, h = _h, g = _g, o = _cfg.OutputSize, bt = Batch * t;
        var pw = _packedW!;
        // Head: dh_T += dOut · W_head; keep h_T packed for dW_head.
        var lastY = _y[_layers - 1].AsSpan(((b0 * t) + t - 1) * h);
        Gemm.Multiply(nb, h, o, _dOut.AsSpan(b0 * o), o, 1, pw.Head, _dY[_layers - 1].AsSpan(((b0 * t) + t - 1) * h), t * h, accumulate: true);
        Gemm.PackBRows(lastY, t * h, b0, nb, Batch, h, _packHeadIn);
        for (int l = _layers - 1; l >= 0; l--)
        {
            int il = _cfg.LayerInput(l);
            var gates = _gates[l].AsSpan(); var cell = _cell[l].AsSpan(); var tanhC = _tanhC[l].AsSpan();
            var dy = _dY[l].AsSpan(); var peep = Peepholes(l);
            var dh = _dHrec.AsSpan(b0 * h, nb * h); var dc = _dC.AsSpan(b0 * h, nb * h);
            int stateOffset = (l * Batch + b0) * h;
            _dH0.AsSpan(stateOffset, nb * h).CopyTo(dh);
            _dC0.AsSpan(stateOffset, nb * h).CopyTo(dc);
            for (int s = t - 1; s >= 0; s--)
            {
                for (int b = b0; b < b1; b++)
                {
                    int row = b * t + s;
                    var dhb = dh.Slice((b - b0) * h, h);
                    TensorPrimitives.Add(dhb, dy.Slice(row * h, h), dhb);
                    ReadOnlySpan<float> cPrev = s == 0 ? _c0[l].AsSpan(b * h, h) : cell.Slice((row - 1) * h, h);
                    LstmCell.Backward(gates.Slice(row * g, g), cPrev, tanhC.Slice(row * h, h), peep, dhb, dc.Slice((b - b0) * h, h));
                }
                // The only sequential product: dh_{t-1} = dG_t · W_hh.
                Gemm.Multiply(nb, h, g, gates[((b0 * t + s) * g)..], t * g, 1, pw.Recurrent[l], dh, h, accumulate: false);
            }
            dh.CopyTo(_dH0.AsSpan(stateOffset, nb * h));
            dc.CopyTo(_dC0.AsSpan(stateOffset, nb * h));
            // dX for every step in one GEMM; it is the layer below's output gradient (through its dropout mask).
            var dx = l > 0 ? _dY[l - 1].AsSpan() : _dX0.AsSpan();
            Gemm.Multiply(nb * t, il, g, gates[(b0 * t * g)..], g, 1, pw.Input[l], dx[(b0 * t * il)..], il, accumulate: false);
            var y = _y[l].AsSpan();
            GatedBackward.MaskAndPackRows(dx, l > 0 && _dropout, _mask[l], LayerInput(l), il, _h0[l], y, b0, b1, t, h, bt, _packX[l], _packHprev[l]);
        }
    }

    void WeightGradients(int part, int parts)
    {
        int t = Steps, h = _h, g = _g, bt = Batch * t, o = _cfg.OutputSize;
        var (r0, r1) = WorkPartition.Split(g, part, parts, Gemm.TileRows);
        int nr = r1 - r0;
        bool acc = _accumulate;
        for (int l = 0; l < _layers; l++)
        {
            int il = _cfg.LayerInput(l);
            var dG = _gates[l].AsSpan();
            if (nr > 0)
            {
                // dW_ih = dGᵀ · X and dW_hh = dGᵀ · H_prev, each one GEMM over all B x T rows.
                Gemm.Multiply(nr, il, bt, dG[r0..], 1, g, _packX[l], _net.Gradient(ParameterLayout.WeightIh(l))[(r0 * il)..], il, acc);
                Gemm.Multiply(nr, h, bt, dG[r0..], 1, g, _packHprev[l], _net.Gradient(ParameterLayout.WeightHh(l))[(r0 * h)..], h, acc);
                // Both biases get the same gradient: the column sums of dG over all rows, in row order.
                var dbIh = _net.Gradient(ParameterLayout.BiasIh(l)).Slice(r0, nr);
                var dbHh = _net.Gradient(ParameterLayout.BiasHh(l)).Slice(r0, nr);
                if (!acc) dbIh.Clear();
                WorkPartition.ColumnSums(dG, g, r0, nr, bt, dbIh);
                if (acc) WorkPartition.ColumnSums(dG, g, r0, nr, bt, dbHh); else dbIh.CopyTo(dbHh);
            }
            if (_cfg.Peepholes && part == 0) PeepholeGradients(l, acc);
        }
        if (part == 0)
        {
            GatedBackward.HeadGradients(_net.Gradient(ParameterLayout.HeadWeight), _net.Gradient(ParameterLayout.HeadBias), _dOut, _packHeadIn, Batch, h, o, acc);
        }
    }

    void PeepholeGradients(int l, bool acc)
    {
        int t = Steps, h = _h, g = _g;
        var dp = _net.Gradient(ParameterLayout.Peephole(l));
        if (!acc) dp.Clear();
        var dG = _gates[l].AsSpan(); var cell = _cell[l].AsSpan();
        for (int b = 0; b < Batch; b++)
            for (int s = 0; s < t; s++)
            {
                int row = b * t + s;
                ReadOnlySpan<float> cPrev = s == 0 ? _c0[l].AsSpan(b * h, h) : cell.Slice((row - 1) * h, h);
                var dgr = dG.Slice(row * g, g);
                TensorPrimitives.FusedMultiplyAdd(dgr[..h], cPrev, dp[..h], dp[..h]);
                TensorPrimitives.FusedMultiplyAdd(dgr.Slice(h, h), cPrev, dp.Slice(h, h), dp.Slice(h, h));
                TensorPrimitives.FusedMultiplyAdd(dgr.Slice(3 * h, h), cell.Slice(row * h, h), dp.Slice(2 * h, h), dp.Slice(2 * h, h));
            }
    }
}
