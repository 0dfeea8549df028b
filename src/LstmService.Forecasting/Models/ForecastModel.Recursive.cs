using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Models;

// The recursive strategy: a one-step head fed back Horizon times.
public sealed partial class ForecastModel
{
    /// <summary>
    /// One step at a time: the mean prediction is appended to the path and the window re-encoded (re-centred on the new last
    /// value under window-level scaling). The path stays in the original window's encoding, so decoding is the direct one's.
    /// </summary>
    float[] PredictRecursive(ReadOnlySpan<float> x, int b)
    {
        int w = InputWindow, s = Horizon, q = _quantiles.Length, blocks = 1 + q;
        bool relative = Scaling == ScalingMode.WindowLevel;
        var path = new float[b * (w + s)];
        for (int i = 0; i < b; i++) x.Slice(i * w, w).CopyTo(path.AsSpan(i * (w + s), w));
        var input = new float[b * w];
        var step = new float[b * blocks];
        var output = new float[b * blocks * s];
        for (int t = 0; t < s; t++)
        {
            for (int i = 0; i < b; i++)
            {
                var window = path.AsSpan(i * (w + s) + t, w);
                var dst = input.AsSpan(i * w, w);
                float shift = relative ? window[w - 1] : 0f;
                for (int j = 0; j < w; j++) dst[j] = window[j] - shift;
            }
            RunNetwork(input, b, step);
            AddHighway(input, step, b);
            for (int i = 0; i < b; i++)
            {
                float shift = relative ? path[i * (w + s) + t + w - 1] : 0f;
                var one = step.AsSpan(i * blocks, blocks);
                float mean = one[0] + shift;
                path[i * (w + s) + t + w] = mean;
                var row = output.AsSpan(i * blocks * s, blocks * s);
                row[t] = mean;
                for (int k = 0; k < q; k++)
                    row[(1 + k) * s + t] = _calibration is not null
                        ? mean + _calibration[k * s + t]
                        : mean + (one[1 + k] - one[0]) * MathF.Sqrt(t + 1);
            }
        }
        return output;
    }
}
