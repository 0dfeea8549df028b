using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Streaming;

namespace LstmService.Forecasting.Models;

public sealed partial class ForecastModel
{
    /// <summary>
    /// Settles the <paramref name="count"/> missing values after the last observed one with the model's own mean forecasts
    /// from the values before them, a horizon at a time, as a state-space model forecasts through missing observations.
    /// Carried forward, the last value had stood for every missing one: a quarterly season 10, 20, 30, 20 whose last 20 was
    /// missing was forecast 12.3, 22.9, 33.8, 23.4 where it is 10, 20, 30, 20, the 0.1-0.9 interval of the first step 11.5-13.0.
    /// </summary>
    void FillTrailingGap(SeriesState settled, int count)
    {
        int keep = Math.Max(InputWindow, 2);
        while (count > 0)
        {
            var prepared = PrepareSettled(settled, settled, null, Horizon, "series");
            var (output, scaling) = RunPrepared([prepared], default);
            var (level, scale) = scaling[0];
            for (int t = 0, n = Math.Min(count, Horizon); t < n; t++, count--)
            {
                // The mean's row comes first; on the model's scale, as the state holds its values (a non-finite one: the last).
                float value = level + scale * output[t];
                if (!float.IsFinite(value)) value = settled.Tail[^1];
                else if (prepared.ClampAtZero && Transform == SeriesTransform.None && value < 0) value = 0;
                SettleTarget(settled, value, keep);
            }
        }
    }
}
