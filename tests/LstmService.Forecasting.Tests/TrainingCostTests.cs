using System.Numerics;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// What keeps a long series' training bounded without changing its result: the highway's vectorised normal equations and the
/// thinned early-stopping evaluation.
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
    public void EarlyStoppingReadsEveryValidationWindowUpToItsBudgetThenEvenlySpacedOnes()
    {
        var windows = Enumerable.Range(0, 5000).Select(t => new WindowRef(0, 100 + t)).ToList();
        // Short sequences: every window, the same list.
        Assert.Same(windows, LockstepRun.ValidationWindows(windows, 24));

        const int steps = 757; // a week and a half of half-hours
        var picked = LockstepRun.ValidationWindows(windows, steps);
        Assert.InRange((long)picked.Count * steps, LockstepRun.ValidationStepBudget - steps, LockstepRun.ValidationStepBudget);
        Assert.Equal(windows[0], picked[0]);
        Assert.True(picked[^1].TargetStart > windows[^1].TargetStart - windows.Count / picked.Count - 1, "the last pick is near the end");
        var gaps = picked.Zip(picked.Skip(1), (a, b) => b.TargetStart - a.TargetStart).ToArray();
        Assert.InRange(gaps.Min(), windows.Count / picked.Count, windows.Count / picked.Count + 1);
        Assert.InRange(gaps.Max(), windows.Count / picked.Count, windows.Count / picked.Count + 1);
    }
}
