using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Streaming;
using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

// What a stream's state holds, read out for its GET: the last window's values and the network's state after it.
public sealed partial class ForecastModel
{
    /// <summary>
    /// The state's last <see cref="InputWindow"/> values (fewer when it holds fewer) on the series' own scale (NaN where missing): the transform undone and,
    /// with covariate levels, their effect put back from the covariates' values the state keeps (NaN where it keeps none).
    /// </summary>
    public float[] WindowValues(SeriesState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var values = state.Window.Skip(Math.Max(0, state.Window.Count - InputWindow)).Select(v => float.IsNaN(v) ? v : SeriesTransforms.Inverse(Transform, v)).ToArray();
        if (CovariateLevels is not { } levels) return values;
        int first = state.Length - values.Length;
        for (int i = 0; i < values.Length; i++)
        {
            int step = first + i;
            double effect = 0;
            for (int k = 0; k < _covariates.Length && !float.IsNaN(values[i]); k++)
            {
                if (!levels.Reads(k)) continue;
                var track = state.Covariates[k];
                int back = track.Settled - step;
                effect += back >= 1 && back <= track.Tail.Count ? levels.Coefficients[k] * (double)track.Tail[^back] : double.NaN;
            }
            values[i] = float.IsNaN(values[i]) ? values[i] : levels.Put(values[i], (float)effect);
        }
        return values;
    }

    /// <summary>
    /// The network's per-layer (h, c) after reading the state's last window (each [Layers, HiddenSize]): derived, not kept,
    /// since the network reads the fixed window afresh for every forecast (an ensemble's merged network: its concatenated states).
    /// </summary>
    public (float[][] Hidden, float[][]? Cell) NetworkState(SeriesState state, IReadOnlyDictionary<string, float[]>? futureCovariates = null)
    {
        if (ForecastProblem(state) is { } problem) throw new ArgumentException(problem, nameof(state));
        // The network's state of the history as given: the alternative reading of a surprising last value only widens intervals.
        var prepared = PrepareSettled(state, Settled(state, state.Held), futureCovariates, Horizon, "series");
        var workspace = Network.CreateWorkspace();
        int layers = Network.Config.Layers, h = Network.Config.HiddenSize;
        workspace.Forward(prepared.Row, 1, Layout.Steps, training: false, dropoutSeed: 0);
        var hn = new float[layers * h];
        float[]? cn = null;
        switch (workspace)
        {
            case LstmWorkspace lstm: cn = new float[layers * h]; lstm.FinalState(hn, cn); break;
            case GruWorkspace gru: gru.FinalState(hn); break; // a GRU has no cell state
            default: throw new NotSupportedException($"No final state for {workspace.GetType().Name}.");
        }
        float[][] PerLayer(float[] all) => Enumerable.Range(0, layers).Select(l => all[(l * h)..((l + 1) * h)]).ToArray();
        return (PerLayer(hn), cn is null ? null : PerLayer(cn));
    }
}
