using static LstmService.Kernels.AlignedBuffer;

namespace LstmService.Kernels;

// The workspace's buffers, grown on demand to the largest shape seen (forward, inference and backward sizes apart).
public sealed partial class LstmWorkspace
{
    /// <summary>
    /// Grows the buffers a forward pass of <paramref name="batch"/> x <paramref name="steps"/> uses. With
    /// <paramref name="stepScratch"/> the gate rows hold one step and the cell rows two (<see cref="GateRow"/>,
    /// <see cref="CellRow"/>), so an inference-only workspace (a cached model's) allocates them per sequence, not per row.
    /// </summary>
    void Ensure(int batch, int steps, bool stepScratch)
    {
        int rows = batch * steps;
        _capRows = Math.Max(rows, _capRows);
        _capBatch = Math.Max(batch, _capBatch);
        _capGateRows = Math.Max(stepScratch ? batch : rows, _capGateRows);
        _capCellRows = Math.Max(stepScratch ? Math.Min(2 * batch, rows) : rows, _capCellRows);
        int cr = _capRows, cb = _capBatch, h = _h, g = _g;
        Grow(ref _x0, cr * _cfg.InputSize);
        Grow(ref _out, cb * _cfg.OutputSize);
        for (int l = 0; l < _layers; l++)
        {
            Grow(ref _gates[l], _capGateRows * g);
            Grow(ref _cell[l], _capCellRows * h);
            Grow(ref _tanhC[l], _capCellRows * h);
            Grow(ref _y[l], cr * h);
            Grow(ref _h0[l], cb * h);
            Grow(ref _c0[l], cb * h);
            if (l > 0 && _cfg.Dropout > 0f)
            {
                Grow(ref _dropped[l], cr * h);
                Grow(ref _mask[l], cr * h);
            }
        }
    }

    /// <summary>
    /// The buffers only <see cref="Backward"/> uses, grown to the largest forward seen: a workspace that only infers (a
    /// cached model's) never allocates them, which is more than half of its memory.
    /// </summary>
    void EnsureBackward()
    {
        int cr = _capRows, cb = _capBatch, h = _h;
        Grow(ref _dX0, cr * _cfg.InputSize);
        Grow(ref _dOut, cb * _cfg.OutputSize);
        Grow(ref _dH0, _layers * cb * h);
        Grow(ref _dC0, _layers * cb * h);
        Grow(ref _dHrec, cb * h);
        Grow(ref _dC, cb * h);
        Grow(ref _packHeadIn, Gemm.PackedLength(cb, h));
        for (int l = 0; l < _layers; l++)
        {
            Grow(ref _dY[l], cr * h);
            Grow(ref _packX[l], Gemm.PackedLength(cr, _cfg.LayerInput(l)));
            Grow(ref _packHprev[l], Gemm.PackedLength(cr, h));
        }
    }
}
