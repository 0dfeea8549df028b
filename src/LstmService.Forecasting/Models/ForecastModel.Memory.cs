using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

public sealed partial class ForecastModel
{
    /// <summary>Workspaces kept between forecasts; more concurrent forecasts of one model rent extra ones that are then dropped.</summary>
    const int PooledWorkspaces = 2;

    /// <summary>
    /// Bytes this model holds while it serves forecasts: the parameters (and an ensemble's members split out of them), their GEMM-packed copy, the highway and calibration (and each series' interval scales),
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
            long memberCopy = EnsembleSize > 1 ? parameters : 0; // the members split out for inference: a second copy (of which only the diagonal blocks are packed)
            long highway = ((_highwayMatrix?.LongLength ?? 0) + (_highwayBias?.LongLength ?? 0) + (_calibration?.LongLength ?? 0)) * sizeof(float);
            // Each member's workspace (their hidden sizes sum to the merged network's H) at PredictChunk sequences of the
            // window's steps: per row the input and every layer's output; per sequence only, since inference keeps one step
            // of them, the gates (GRU: 3H on each side; LSTM: 4H and two steps of cell and tanh(cell)) and the initial states.
            // An LSTM of several layers may run as a wavefront on a small batch, which keeps every row's gates: counted so.
            long batch = PredictChunk, rows = batch * Math.Max(Layout.Steps, InputWindow);
            long h = cfg.HiddenSize, members = Math.Max(1, EnsembleSize);
            bool lstm = cfg.Cell == RecurrentCell.Lstm;
            long gateRows = lstm && cfg.Layers > 1 ? rows : batch;
            long perLayer = rows * h + gateRows * (lstm ? 8 : 6) * h + batch * (lstm ? 2 : 1) * h;
            long dropout = cfg.Dropout > 0f ? (cfg.Layers - 1) * 2L * rows * h : 0;
            long workspace = (members * (rows * cfg.InputSize + batch * cfg.OutputSize) + cfg.Layers * perLayer + dropout) * sizeof(float);
            const long overhead = 64 * 1024; // the classical members' states, names, object headers
            // Per series id: the string, its factors' array and the dictionary's entry (a model of thousands of series keeps thousands).
            long seriesScales = (SeriesIntervalScales?.Sum(p => 2L * p.Key.Length + 4L * p.Value.Length + 96) ?? 0)
                + (SeriesMixWeights?.Sum(p => 2L * p.Key.Length + 4L * p.Value.Length + 96) ?? 0);
            return parameters + gradients + packed + memberCopy + highway + seriesScales + PooledWorkspaces * workspace + overhead;
        }
    }
}
