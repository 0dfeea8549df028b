using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

// Running the network: member by member, small calls combined across concurrent requests.
public sealed partial class ForecastModel
{
    /// <summary>Calls of at most this many rows go through <see cref="Batcher"/>; larger ones are a batch already.</summary>
    internal const int BatchedRows = 16;

    IRecurrentNetwork[]? _members;
    InferenceBatcher? _batcher;

    /// <summary>
    /// The networks a forecast runs: the ensemble's members split out of <see cref="Network"/> (<see cref="Ensemble.Split"/>),
    /// or the network itself for a single network or one that is not block-diagonal. Each member forecasts the whole
    /// average (its head scaled back up), so a forecast averages their outputs. Built on first use, so a model that is
    /// only exported never holds the copy.
    /// </summary>
    internal IRecurrentNetwork[] Members
    {
        get
        {
            if (_members is { } members) return members;
            var split = EnsembleSize > 1 && Ensemble.IsBlockDiagonal(Network, EnsembleSize) ? Ensemble.Split(Network, EnsembleSize) : null;
            Interlocked.CompareExchange(ref _members, split ?? [Network], null);
            return _members;
        }
    }

    /// <summary>Combines the small network calls of concurrent forecasts (one-series requests under load) into one pass.</summary>
    InferenceBatcher Batcher
    {
        get
        {
            if (_batcher is { } batcher) return batcher;
            Interlocked.CompareExchange(ref _batcher, new InferenceBatcher(Layout.RowLength, Network.Config.OutputSize, (x, rows, output) => RunMembers(x, rows, output)), null);
            return _batcher;
        }
    }

    /// <summary>
    /// The network alone on <paramref name="b"/> encoded windows. A few rows join whatever concurrent calls are waiting
    /// (<see cref="InferenceBatcher"/>: rows are independent, so the bits are the same); more run at once.
    /// </summary>
    void RunNetwork(ReadOnlySpan<float> x, int b, Span<float> output)
    {
        if (b <= BatchedRows) Batcher.Run(x, b, output);
        else RunMembers(x, b, output);
    }

    /// <summary>
    /// The members on <paramref name="b"/> rows, in bounded batches (the workspaces' activations stay small), averaged. An
    /// ensemble runs member by member (<see cref="Members"/>): the merged network's block-diagonal weights would cost
    /// <see cref="EnsembleSize"/> times the arithmetic, most of it multiplying zeros.
    /// </summary>
    void RunMembers(ReadOnlySpan<float> x, int b, Span<float> output)
    {
        int w = Layout.Steps, row = Layout.RowLength, o = Network.Config.OutputSize;
        if (!_workspaces.TryTake(out var ws)) ws = Array.ConvertAll(Members, m => m.CreateWorkspace());
        try
        {
            for (int start = 0; start < b; start += PredictChunk)
            {
                int rows = Math.Min(PredictChunk, b - start);
                var target = output.Slice(start * o, rows * o);
                for (int m = 0; m < ws.Length; m++)
                {
                    ws[m].Infer(x.Slice(start * row, rows * row), rows, w);
                    if (m == 0) ws[m].Output.CopyTo(target);
                    else System.Numerics.Tensors.TensorPrimitives.Add(target, ws[m].Output, target);
                }
                if (ws.Length > 1) System.Numerics.Tensors.TensorPrimitives.Multiply(target, 1f / ws.Length, target);
            }
        }
        finally
        {
            // A burst of concurrent forecasts leaves no more than PooledWorkspaces behind (EstimatedBytes counts that many).
            if (_workspaces.Count < PooledWorkspaces) _workspaces.Add(ws);
        }
    }

    /// <summary>
    /// Network output plus highway and calibration for <paramref name="b"/> rows: [B, 1 + Q, Horizon] in encoded units.
    /// <paramref name="x"/> is the network input ([B, SequenceLength, Features]) and <paramref name="windows"/> the encoded
    /// target windows ([B, InputWindow], the same buffer without covariates).
    /// </summary>
    internal float[] Predict(ReadOnlySpan<float> x, ReadOnlySpan<float> windows, int b)
    {
        if (Strategy == ForecastStrategy.Recursive) return PredictRecursive(windows, b);
        int o = Network.Config.OutputSize;
        var output = new float[b * o];
        // A silenced network (the shrinkage of short series) contributes zeros: not running it is most of a short series' forecast cost.
        if (CorrectionScale != 0f) RunNetwork(x, b, output);
        if (CorrectionScale != 1f && CorrectionScale != 0f) System.Numerics.Tensors.TensorPrimitives.Multiply(output, CorrectionScale, output);
        if (!HighwayIsMember) AddHighway(windows, output, b);
        if (_calibration is not null)
            for (int i = 0; i < b; i++)
                for (int k = 0; k < _quantiles.Length; k++)
                {
                    var row = output.AsSpan(i * o + (1 + k) * Horizon, Horizon);
                    var offsets = _calibration.AsSpan(k * Horizon, Horizon);
                    for (int t = 0; t < Horizon; t++) row[t] += offsets[t];
                }
        return output;
    }

    /// <summary>Adds the highway's forecast of each encoded window to every head block of <paramref name="output"/> ([B, 1 + Q, Horizon]).</summary>
    internal void AddHighway(ReadOnlySpan<float> x, Span<float> output, int b)
    {
        if (_highwayMatrix is null) return;
        int w = InputWindow, s = HeadSteps, blocks = 1 + _quantiles.Length;
        Span<float> linear = s <= 512 ? stackalloc float[s] : new float[s];
        for (int i = 0; i < b; i++)
        {
            HighwayForecast(x.Slice(i * w, w), linear);
            for (int k = 0; k < blocks; k++)
            {
                var row = output.Slice((i * blocks + k) * s, s);
                for (int t = 0; t < s; t++) row[t] += linear[t];
            }
        }
    }

    /// <summary>The highway's forecast (encoded units) of one encoded window; zeros without a highway.</summary>
    internal void HighwayForecast(ReadOnlySpan<float> window, Span<float> forecast)
    {
        if (_highwayMatrix is null) { forecast[..HeadSteps].Clear(); return; }
        LinearHighway.Apply(_highwayMatrix, _highwayBias!, InputWindow, window, forecast);
    }
}
