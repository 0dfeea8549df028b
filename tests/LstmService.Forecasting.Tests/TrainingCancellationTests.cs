using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>Cancellation is honoured between the phases of training, not only inside epochs.</summary>
public class TrainingCancellationTests
{
    static readonly float[] Series = Enumerable.Range(0, 300).Select(t => 10f + 5f * MathF.Sin(t * MathF.PI / 6)).ToArray();

    [Fact]
    public void A_cancelled_token_stops_training_before_the_data_is_prepared()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ForecastTrainer.Train([Series], new TrainingOptions { Horizon = 4, HiddenSize = 4, Epochs = 3, Ensemble = 1 }, cancellationToken: cts.Token));
    }

    [Theory]
    [InlineData(true, false)]   // mixing, calibration and backtest follow the last epoch
    [InlineData(false, false)]  // conformal calibration and backtest
    [InlineData(true, true)]    // and the refit
    public void A_cancel_at_the_last_epoch_stops_the_phases_after_it(bool statistics, bool refit)
    {
        using var cts = new CancellationTokenSource();
        var options = new TrainingOptions { Horizon = 4, HiddenSize = 4, Epochs = 2, Patience = 5, Ensemble = 1, Statistics = statistics, Refit = refit };
        // The fit ends normally after its last epoch, so only the checks between the later phases can see this cancel.
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ForecastTrainer.Train([Series], options, p => { if (p.Epoch == p.Epochs) cts.Cancel(); }, cts.Token));
    }

    [Fact]
    public void The_classical_fits_see_a_cancel_inside_them()
    {
        // A long series' transform choice and member fits take seconds each, and had taken no token: a shutdown waited for
        // them past its timeout, and the job was counted as a crash. Each now stops at its first pass over the data.
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var history = new[] { Array.ConvertAll(Series, v => (double)v) };
        int[] seasons = [12];
        Assert.ThrowsAny<OperationCanceledException>(() => LstmService.Forecasting.Statistics.ExponentialSmoothing.Fit(history, [1.0], false, false, 12, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => LstmService.Forecasting.Statistics.ExponentialSmoothing.SelectShape(history, [1.0], seasons, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => LstmService.Forecasting.Statistics.ThetaMethod.Fit(history, [1.0], 12, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => LstmService.Forecasting.Statistics.DifferencedAutoregression.Fit(history, seasons, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => LstmService.Forecasting.Statistics.StatisticalEnsemble.Fit(history, seasons, cts.Token));
        // A cancel that arrives while a long series' fit runs stops it there, not after it (which took seconds).
        var longSeries = new[] { Enumerable.Range(0, 100_000).Select(t => 10 + 5 * Math.Sin(t * Math.PI / 12) + (t % 7) * 0.1).ToArray() };
        // Cancelled from a thread of its own: a CancellationTokenSource's timer fires on the thread pool, which the parallel
        // test run can keep busy until the fit has finished (it failed once so, after 16 s).
        using var midway = new CancellationTokenSource();
        var canceller = new Thread(() => { Thread.Sleep(50); midway.Cancel(); }) { IsBackground = true };
        canceller.Start();
        Assert.ThrowsAny<OperationCanceledException>(() => LstmService.Forecasting.Statistics.StatisticalEnsemble.Fit(longSeries, [24, 168], midway.Token));
        canceller.Join();
        // Without a cancel the same fits finish.
        Assert.NotNull(LstmService.Forecasting.Statistics.StatisticalEnsemble.Fit(history, seasons, CancellationToken.None));
    }
}
