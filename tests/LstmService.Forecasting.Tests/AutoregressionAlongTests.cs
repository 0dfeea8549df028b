namespace LstmService.Forecasting.Tests;

/// <summary>The autoregression's forecasts along a series are, bit for bit, its forecasts from each prefix (levels and differences).</summary>
public class AutoregressionAlongTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Forecasts_along_the_series_equal_forecasts_from_each_prefix_exactly(bool differenced)
    {
        var rng = new Random(5);
        var y = Enumerable.Range(0, 500).Select(t => 30 + 4 * Math.Sin(t / 3.0) + rng.NextDouble()).ToArray();
        var ar = new Statistics.DifferencedAutoregression([1, 2, 12], [0.5, -0.2, 0.1], differenced);
        int[] origins = [13, 14, 100, 100, 257, 499, 60]; // increasing, a repeat, and one going back
        const int steps = 6, stride = 10, offset = 3;
        var along = new double[offset + origins.Length * stride];
        ar.ForecastsAlong(y, origins, steps, along, offset, stride);
        for (int r = 0; r < origins.Length; r++)
        {
            var direct = new double[steps];
            ar.Forecast(y.AsSpan(0, origins[r]), direct);
            Assert.Equal(direct, along.AsSpan(offset + r * stride, steps).ToArray());
        }
    }
}
