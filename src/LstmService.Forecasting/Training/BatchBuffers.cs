using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Kernels;

namespace LstmService.Forecasting.Training;

/// <summary>Reusable buffers for one mini-batch: inputs, scaled targets, split predictions and the output gradient.</summary>
internal sealed class BatchBuffers
{
    readonly int _w, _s, _q;
    readonly float[] _windows, _targets, _linear, _mean, _meanGrad, _quant, _quantGrad;
    readonly ComposedHighway? _highway;
    readonly InputLayout _layout;
    bool _linearUsed;

    public BatchBuffers(int capacity, InputLayout layout, int horizon, int quantiles, ComposedHighway? highway = null)
    {
        Capacity = Math.Max(1, capacity);
        _layout = layout;
        _w = layout.Window; _s = horizon; _q = quantiles;
        _highway = highway;
        X = new float[Capacity * layout.RowLength];
        _windows = layout.Plain ? X : new float[Capacity * _w];
        _targets = new float[Capacity * horizon];
        _linear = new float[Capacity * horizon];
        _mean = new float[Capacity * horizon];
        _meanGrad = new float[Capacity * horizon];
        _quant = new float[Capacity * horizon * quantiles];
        _quantGrad = new float[Capacity * horizon * quantiles];
        OutputGradient = new float[Capacity * horizon * (1 + quantiles)];
    }

    public BatchBuffers(int capacity, int window, int horizon, int quantiles, ComposedHighway? highway = null)
        : this(capacity, new InputLayout(window, horizon, []), horizon, quantiles, highway)
    {
    }

    public int Capacity { get; }
    /// <summary>Network input rows ([Capacity, Steps, Features]).</summary>
    public float[] X { get; }
    public float[] OutputGradient { get; }

    /// <summary>The mean head's part (MSE) of the last <see cref="Loss"/>.</summary>
    public double LastMeanLoss { get; private set; }

    /// <summary>Encoded targets of the rows last filled (NaN where missing).</summary>
    public ReadOnlySpan<float> Targets => _targets;

    public void Fill(WindowedData data, IReadOnlyList<WindowRef> windows, ReadOnlySpan<int> indices)
    {
        int row = _layout.RowLength;
        for (int b = 0; b < indices.Length; b++)
        {
            var win = windows[indices[b]];
            var x = _windows.AsSpan(b * _w, _w);
            var (level, scale) = ForecastModel.EncodeWindow(data.Filled[win.Series], win.TargetStart, _w, data.Scaling, data.Stats[win.Series], x);
            if (!_layout.Plain) _layout.Encode(x, data.Covariates[win.Series], data.CovariateStats[win.Series], win.TargetStart, X.AsSpan(b * row, row));
            var raw = data.Raw[win.Series];
            for (int t = 0; t < _s; t++) _targets[b * _s + t] = (raw[win.TargetStart + t] - level) / scale; // NaN stays NaN: masked
            var linear = _linear.AsSpan(b * _s, _s);
            if (_highway is not null) _highway.Forecast(x, linear);
            else linear.Clear();
            if (data.Base is not null)
            {
                var baseline = data.Base[win];
                for (int t = 0; t < _s; t++) linear[t] += baseline[t];
            }
            _linearUsed = _highway is not null || data.Base is not null;
        }
    }

    /// <summary>
    /// MSE on the mean head plus pinball on the quantile heads, in scaled units, with the highway's forecast added to every
    /// head (the network learns the residual); fills <see cref="OutputGradient"/>.
    /// </summary>
    public double Loss(ReadOnlySpan<float> output, float[] quantiles, int rows, bool computeGradient)
    {
        int s = _s, q = _q, o = s * (1 + q);
        for (int b = 0; b < rows; b++)
        {
            output.Slice(b * o, s).CopyTo(_mean.AsSpan(b * s, s));
            if (q > 0) output.Slice(b * o + s, q * s).CopyTo(_quant.AsSpan(b * q * s, q * s));
            if (_linearUsed)
            {
                var linear = _linear.AsSpan(b * s, s);
                System.Numerics.Tensors.TensorPrimitives.Add(_mean.AsSpan(b * s, s), linear, _mean.AsSpan(b * s, s));
                for (int k = 0; k < q; k++)
                {
                    var block = _quant.AsSpan((b * q + k) * s, s);
                    System.Numerics.Tensors.TensorPrimitives.Add(block, linear, block);
                }
            }
        }
        var targets = _targets.AsSpan(0, rows * s);
        double loss = Losses.MeanSquaredError(_mean.AsSpan(0, rows * s), targets, _meanGrad.AsSpan(0, rows * s));
        LastMeanLoss = loss;
        if (q > 0) loss += Losses.Pinball(_quant.AsSpan(0, rows * q * s), targets, quantiles, s, _quantGrad.AsSpan(0, rows * q * s));
        if (computeGradient)
            for (int b = 0; b < rows; b++)
            {
                _meanGrad.AsSpan(b * s, s).CopyTo(OutputGradient.AsSpan(b * o, s));
                if (q > 0) _quantGrad.AsSpan(b * q * s, q * s).CopyTo(OutputGradient.AsSpan(b * o + s, q * s));
            }
        return loss;
    }
}
