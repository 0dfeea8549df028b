using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// The classical members' initial states read a history's head (up to about 1/α values, the whole history of a flat
/// series) without its spikes, as they were fitted: one glitch there had set the level, theta's drift and the
/// autoregression's mean of every forecast.
/// </summary>
public class SpikeInHeadTests
{
    /// <summary>150 values about 50 (deviation 2), one of them <paramref name="spike"/> at index 100: a QA pass's series.</summary>
    static float[] FlatWithSpike(float spike, ulong seed = 1)
    {
        var rng = new SeededRandom(seed);
        var values = Enumerable.Range(0, 150).Select(_ => (float)(50 + 2 * rng.NextGaussian())).ToArray();
        values[100] = spike;
        return values;
    }

    [Theory]
    [InlineData(5000f)]
    [InlineData(500f)]
    [InlineData(-4000f)]
    public void ASpikeInAFlatHistoryMovesNoMember(float spike)
    {
        var values = FlatWithSpike(spike);
        var model = ForecastTrainer.Train([values], new TrainingOptions { Horizon = 5, Epochs = 5, Ensemble = 1 }).Model;

        // The mean had been about 85 with a spike of 5,000 (the smoothing 83, theta 117, the autoregression 85-92).
        var mean = model.Forecast([values])[0].Mean.ToArray();
        Assert.All(mean, m => Assert.InRange(m, 46f, 54f));
        var members = new double[StatisticalEnsemble.MemberCount * 5];
        model.Statistics!.Forecast(Array.ConvertAll(values, v => (double)v), 5, members);
        Assert.All(members, m => Assert.InRange(m, 46, 54));
    }

    [Theory]
    [InlineData(150)]
    [InlineData(40)]
    public void AStreamAndAOneOffForecastStillAgreeBitForBit(int length)
    {
        var values = Array.ConvertAll(FlatWithSpike(5000f), v => (double)v);
        values[20] = 3000; // within the first 40 too
        var history = values[..length];
        var ensemble = StatisticalEnsemble.Fit([OutlyingSteps.WithoutSpikes(history, 1)], []);
        var (whole, streamed) = MemberForecastPair.Of(ensemble, history, 4);

        Assert.Equal(whole, streamed);
        Assert.All(whole, m => Assert.InRange(m, 44, 56));
    }
}
