using System.Numerics;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// What keeps a long series' training bounded without changing its result: the highway's vectorised normal equations, its
/// candidate orders fitted from one gram, the thinned scoring passes and the epochs a fit can afford.
/// </summary>
public class TrainingCostTests
{
    [Fact]
    public void TheVectorisedGramMatchesTheScalarReferenceToTheBit()
    {
        var rng = new SeededRandom(3);
        const double Sentinel = -12345.5;
        for (int p = 0; p <= 3 * Vector<double>.Count + 1; p++)
        {
            var gram = new double[p * p];
            var rhs = new double[p + 1];
            for (int window = 0; window < 20; window++)
            {
                // Values far apart in magnitude, and zeros (skipped rows), so a fused or reordered sum would show in the bits.
                var x = Enumerable.Range(0, p).Select(_ => rng.NextFloat() < 0.2f ? 0 : rng.NextGaussian() * Math.Pow(10, rng.NextInt(7) - 3)).ToArray();
                double y = rng.NextGaussian();
                if (window == 0) { Array.Fill(gram, Sentinel); Array.Fill(rhs, Sentinel); }
                var expectedGram = (double[])gram.Clone();
                var expectedRhs = (double[])rhs.Clone();
                LinearHighway.AccumulateLowerGramScalar(x, y, expectedGram, expectedRhs, p);
                LinearHighway.AccumulateLowerGram(x, y, gram, rhs, p);
                for (int i = 0; i < gram.Length; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(expectedGram[i]), BitConverter.DoubleToInt64Bits(gram[i]));
                for (int i = 0; i < rhs.Length; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(expectedRhs[i]), BitConverter.DoubleToInt64Bits(rhs[i]));
            }
            // The upper triangle and the element past the right-hand side are never written.
            for (int i = 0; i < p; i++)
                for (int j = i + 1; j < p; j++) Assert.Equal(Sentinel, gram[i * p + j]);
            Assert.Equal(Sentinel, rhs[p]);
        }
    }

    [Fact]
    public void AScoringPassReadsEveryWindowUpToItsBudgetThenEvenlySpacedOnes()
    {
        var windows = Enumerable.Range(0, 5000).Select(t => new WindowRef(0, 100 + t)).ToList();
        // Short sequences: every window, the same list.
        Assert.Same(windows, LockstepRun.ScoredWindows(windows, 24));

        const int steps = 757; // a week and a half of half-hours
        var picked = LockstepRun.ScoredWindows(windows, steps);
        Assert.InRange((long)picked.Count * steps, LockstepRun.ValidationStepBudget - steps, LockstepRun.ValidationStepBudget);
        Assert.Equal(windows[0], picked[0]);
        Assert.True(picked[^1].TargetStart > windows[^1].TargetStart - windows.Count / picked.Count - 1, "the last pick is near the end");
        var gaps = picked.Zip(picked.Skip(1), (a, b) => b.TargetStart - a.TargetStart).ToArray();
        Assert.InRange(gaps.Min(), windows.Count / picked.Count, windows.Count / picked.Count + 1);
        Assert.InRange(gaps.Max(), windows.Count / picked.Count, windows.Count / picked.Count + 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryOrderFittedFromOneGramMatchesItsOwnFit(bool relative)
    {
        var rng = new SeededRandom(11);
        // Two parts, one with gaps (some windows are mostly missing for the long orders only, some targets missing), and an
        // order too long for the second part's windows.
        var parts = new List<SeriesPart>();
        foreach (int length in new[] { 400, 90 })
        {
            var raw = new float[length];
            double level = 0;
            for (int t = 0; t < length; t++) { level += rng.NextGaussian(); raw[t] = (float)(level + 3 * Math.Sin(t * 2 * Math.PI / 12)); }
            if (length == 400) { for (int t = 150; t < 175; t++) raw[t] = float.NaN; raw[300] = float.NaN; }
            var filled = new float[length];
            SeriesMath.FillGaps(raw, filled);
            parts.Add(new SeriesPart(raw, filled, 0, length, (float)filled.Average(), 2.5f));
        }
        int[] orders = [1, 2, 5, 13, 25, 37, 49, 60];
        var together = LinearHighway.FitOrders(parts, orders, relative);
        for (int k = 0; k < orders.Length; k++)
        {
            var alone = LinearHighway.Fit(parts, orders[k], relative);
            if (alone is null) { Assert.Null(together[k]); continue; }
            Assert.NotNull(together[k]);
            Assert.Equal(alone.Length, together[k]!.Length);
            for (int i = 0; i < alone.Length; i++)
                Assert.True(Math.Abs(alone[i] - together[k]![i]) <= 1e-4 * Math.Max(1, Math.Abs(alone[i])), $"order {orders[k]}, coefficient {i}: {alone[i]} against {together[k]![i]}");
        }
    }

    [Fact]
    public void AVeryLongSeriesFitsItsOrdersOnEvenlySpacedTargetsAndStillFindsItsCoefficients()
    {
        // An AR(2) around a level, five times MaxFitWindows long: the fit on a fifth of its targets still recovers the process.
        var rng = new SeededRandom(21);
        int n = 5 * LinearHighway.MaxFitWindows;
        var raw = new float[n];
        double a = 0, b = 0;
        for (int t = 0; t < n; t++)
        {
            double v = 0.6 * a - 0.3 * b + rng.NextGaussian();
            b = a; a = v;
            raw[t] = (float)(10 + v);
        }
        var part = new SeriesPart(raw, raw, 0, n, 10f, 1f);
        var fitted = LinearHighway.FitOrders([part], [2, 3], relative: false);
        // Absolute form, order 3: lags 3, 2, 1 then the bias; the process has no lag 3.
        var c = fitted[1]!;
        Assert.InRange(c[0], -0.05, 0.05);
        Assert.InRange(c[1], -0.35, -0.25);
        Assert.InRange(c[2], 0.55, 0.65);
        Assert.InRange(c[3], -0.1, 0.1);
        // Under the cap nothing is thinned: the same as one-by-one fits.
        var shortPart = new SeriesPart(raw[..5000], raw[..5000], 0, 5000, 10f, 1f);
        var alone = LinearHighway.Fit([shortPart], 3, relative: false)!;
        var together = LinearHighway.FitOrders([shortPart], [2, 3], relative: false)[1]!;
        for (int i = 0; i < alone.Length; i++) Assert.True(Math.Abs(alone[i] - together[i]) <= 1e-5 * Math.Max(1, Math.Abs(alone[i])));
    }

    [Fact]
    public void AFitAffordsEveryEpochOnAShortSeriesAndAsManyAsTheBudgetAllowsOnALongWindow()
    {
        // A monthly series: 300 windows of 37 steps, 60 scored; 200 epochs fit well within the budget.
        Assert.Equal(200, LockstepRun.AffordableEpochs(200, 300, 60, 37, 32));
        // A year of half-hours: 12,943 windows of 757 steps trained StepBudget steps an epoch, 346 scored.
        int capped = LockstepRun.AffordableEpochs(200, 12943, 346, 757, 32);
        long perEpoch = (LockstepRun.StepBudget / 757) * 757L + 346L * 757;
        // 86 windows of 757 steps trained and 346 scored: 327,024 steps an epoch, 12 of them within 2^22.
        Assert.Equal(12, capped);
        Assert.True(capped * perEpoch <= LockstepRun.FitStepBudget && (capped + 1) * perEpoch > LockstepRun.FitStepBudget);
        // The budget never asks for more epochs than requested, and always allows one.
        Assert.Equal(5, LockstepRun.AffordableEpochs(5, 12943, 346, 757, 32));
        Assert.Equal(1, LockstepRun.AffordableEpochs(200, 1 << 20, 1 << 20, 100_000, 32));
    }
}
