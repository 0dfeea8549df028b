using LstmService.Forecasting.Models;

namespace LstmService.Forecasting.Training;

/// <summary>A highway composed for one window and horizon.</summary>
internal sealed class ComposedHighway(LinearHighway highway, int window, int horizon)
{
    readonly (float[] Matrix, float[] Bias) _map = highway.Compose(window, horizon);

    public void Forecast(ReadOnlySpan<float> x, Span<float> y) => LinearHighway.Apply(_map.Matrix, _map.Bias, window, x, y);
}
