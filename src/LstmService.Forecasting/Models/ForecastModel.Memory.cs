using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

public sealed partial class ForecastModel
{
    /// <summary>Workspaces kept between forecasts; more concurrent forecasts of one model rent extra ones that are then dropped.</summary>
    const int PooledWorkspaces = 2;

    /// <summary>
    /// Bytes this model holds while it serves forecasts: the parameters (and an ensemble's members split out of them), their GEMM-packed copy, the highway and calibration,
    /// and the pooled inference workspaces at their largest (<see cref="PredictChunk"/> rows). A cache budgets with it; it is
    /// an upper bound for a model that only forecasts (no gradients, no backward buffers), not a measurement.
    /// </summary>
    public long EstimatedBytes
    {
        get
        {
            var cfg = Network.Config;
            long parameters = Network.Parameters.LongLength * sizeof(float);
            long gradients = Network.HasGradients ? parameters : 0;
            long packed = parameters; // the forward packing holds each weight once, padded to whole tiles (within a few percent)
            long members = EnsembleSize > 1 ? parameters : 0; // the members split out for inference: a second copy (of which only the diagonal blocks are packed)
            long highway = ((_highwayMatrix?.LongLength ?? 0) + (_highwayBias?.LongLength ?? 0) + (_calibration?.LongLength ?? 0)) * sizeof(float);
            long rows = (long)PredictChunk * Math.Max(Layout.Steps, InputWindow);
            long perRow = cfg.InputSize;
            for (int l = 0; l < cfg.Layers; l++)
                // LSTM: gates (4H), cell, tanh(cell), output; GRU: x- and h-side gates (3H each), output.
                perRow += (l > 0 && cfg.Dropout > 0f ? 2L * cfg.HiddenSize : 0) + 7L * cfg.HiddenSize;
            long perBatchRow = cfg.OutputSize + 2L * cfg.Layers * cfg.HiddenSize; // head output, initial states
            long workspace = (rows * perRow + PredictChunk * perBatchRow) * sizeof(float);
            const long overhead = 64 * 1024; // the classical members' states, names, object headers
            return parameters + gradients + packed + members + highway + PooledWorkspaces * workspace + overhead;
        }
    }
}
