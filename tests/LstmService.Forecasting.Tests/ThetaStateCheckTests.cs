using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// An imported stream state's theta bookkeeping (counts, time sums, the decomposition's counts) follows from its number of
/// values alone: every state the filters build passes the check, seasons odd and even, short and long, and an edit fails it.
/// </summary>
public class ThetaStateCheckTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 57)]
    [InlineData(4, 3)]
    [InlineData(4, 101)]
    [InlineData(7, 50)]
    [InlineData(12, 13)]
    [InlineData(12, 240)]
    [InlineData(13, 99)]
    public void A_built_state_passes_and_an_edited_one_fails(int season, int n)
    {
        var theta = new ThetaMethod(0.3, season, multiplicative: false);
        var state = Build(theta, n);
        Assert.Null(state.Problem(theta, n));
        // The same state is not that of one value more or less.
        Assert.NotNull(state.Problem(theta, n + 1));
        if (n > 0) Assert.NotNull(state.Problem(theta, n - 1));

        var negative = state.Clone();
        negative.TimeTotal = -1;
        Assert.Contains("counts and time sums", negative.Problem(theta, n));
        if (n == 0) return;
        var counted = state.Clone();
        counted.Counts[n % season]++;
        Assert.NotNull(counted.Problem(theta, n));
        var times = state.Clone();
        times.Times[(n - 1) % season] += 1;
        Assert.NotNull(times.Problem(theta, n));
        if (season > 1 && n > season)
        {
            var decomposed = state.Clone();
            decomposed.DecompositionCounts[0]++;
            Assert.NotNull(decomposed.Problem(theta, n));
        }
    }

    [Fact]
    public void A_long_streams_rounded_sums_still_pass()
    {
        // Past 2^53 the sum of t² is rounded as it grows (about 300,000 values); a stream may run far longer.
        const int n = 2_000_000;
        var theta = new ThetaMethod(0.3, 12, multiplicative: false);
        var state = Build(theta, n);
        Assert.True(state.TimeSquares > Math.Pow(2, 53));
        Assert.Null(state.Problem(theta, n));
        state.TimeSquares *= 1 + 1e-4;
        Assert.NotNull(state.Problem(theta, n));
    }

    /// <summary>The state after n values of a seasonal series, stepped as a stream steps it.</summary>
    static ThetaState Build(ThetaMethod theta, int n)
    {
        var state = ThetaState.Create(theta);
        var values = Enumerable.Range(0, n).Select(t => 10 + Math.Sin(2 * Math.PI * t / Math.Max(2, theta.Season)) + 0.01 * t).ToArray();
        state.Initialize(theta, values.AsSpan(0, Math.Min(n, 20)));
        for (int t = 0; t < n; t++) state.Step(theta, t, values[t], values.AsSpan(0, t + 1));
        return state;
    }
}
