using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Kernels;
using Xunit.Abstractions;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Forecasting.Tests;

/// <summary>Warm starts: a merged ensemble split back into members, and training that continues from a trained model's weights.</summary>
public class WarmStartTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(RecurrentCell.Lstm)]
    [InlineData(RecurrentCell.Gru)]
    public void SplitMembersAverageToTheMergedNetwork(RecurrentCell cell)
    {
        var config = new RecurrentConfig(cell, 2, 4, 2, 6, Peepholes: cell == RecurrentCell.Lstm);
        var members = new[] { 5UL, 6UL, 7UL }.Select(seed =>
        {
            var net = config.Create(seed, forgetBiasOne: true);
            var rng = new SeededRandom(seed + 50);
            // Non-zero peepholes and head biases, so every block the split reads matters.
            for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] += rng.NextUniform(-0.2f, 0.2f);
            net.ParametersChanged();
            return net;
        }).ToArray();
        var merged = Ensemble.Merge(members);

        var split = Ensemble.Split(merged, 3);
        Assert.All(split, m => Assert.Equal(config, m.Config));
        // The recurrent weights come back exactly; only the head is rescaled (its biases are stored as their average).
        for (int m = 0; m < 3; m++)
            AssertBitEqual(members[m].Parameter(config.WeightHh(1)), split[m].Parameter(config.WeightHh(1)), $"member {m} weight_hh_l1");

        const int b = 3, steps = 5;
        var x = Random(new SeededRandom(4), b * steps * config.InputSize);
        var average = new float[b * config.OutputSize];
        foreach (var m in split)
        {
            var ws = m.CreateWorkspace();
            ws.Forward(x, b, steps, training: false, dropoutSeed: 0);
            for (int i = 0; i < average.Length; i++) average[i] += ws.Output[i] / split.Length;
        }
        var mws = merged.CreateWorkspace();
        mws.Forward(x, b, steps, training: false, dropoutSeed: 0);
        AssertClose(mws.Output, average, 1e-5, 1e-4, "split members' average");
        AssertClose(merged.Parameters, Ensemble.Merge(split).Parameters, 1e-6, 1e-5, "merge of the split");
        Assert.Throws<ArgumentException>(() => Ensemble.Split(merged, 5));
    }

    static float[] Wave(int n) => Enumerable.Range(0, n).Select(t => (float)(10 + 5 * Math.Sin(2 * Math.PI * t / 12) + 2 * Math.Sin(2 * Math.PI * t / 5))).ToArray();

    static readonly TrainingOptions Options = new()
    {
        InputWindow = 24, Horizon = 4, HiddenSize = 8, Ensemble = 2, Epochs = 25, Patience = 25, Statistics = false, Highway = false,
        Refit = false, Calibrate = false, SeasonLength = 12, Seed = 3,
    };

    [Fact]
    public void AWarmStartContinuesFromTheParentsWeights()
    {
        var series = new[] { Wave(400) };
        var parent = ForecastTrainer.Train(series, Options);

        // A learning rate of almost nothing: one epoch leaves the parent's network as it was, and its validation loss too.
        var still = ForecastTrainer.Train(series, Options with { InitialWeights = parent.Model.Network, Epochs = 1, LearningRate = 1e-9f });
        AssertClose(parent.Model.Network.Parameters, still.Model.Network.Parameters, 1e-5, 0, "weights after a 0-rate epoch");
        Assert.Equal(parent.ValidationLosses[parent.BestEpoch - 1], still.ValidationLosses[0], 3);

        // One ordinary epoch from the parent is far ahead of a cold start's first epoch on new data of the same process.
        var next = new[] { Wave(460)[60..] };
        var warm = ForecastTrainer.Train(next, Options with { InitialWeights = parent.Model.Network, Epochs = 1 });
        var cold = ForecastTrainer.Train(next, Options with { Epochs = 1 });
        output.WriteLine($"first-epoch validation loss: warm {warm.ValidationLosses[0]:G4}, cold {cold.ValidationLosses[0]:G4}; parent best {parent.ValidationLosses[parent.BestEpoch - 1]:G4}");
        Assert.True(warm.ValidationLosses[0] < 0.5 * cold.ValidationLosses[0],
            $"warm first-epoch validation loss {warm.ValidationLosses[0]:G4} vs cold {cold.ValidationLosses[0]:G4}");
    }

    [Fact]
    public void AWarmStartOfAnotherShapeIsRefused()
    {
        var parent = ForecastTrainer.Train([Wave(200)], Options with { Epochs = 1 });
        var problems = ForecastTrainer.Check([new TrainingSeries(Wave(200))], Options with { InitialWeights = parent.Model.Network, HiddenSize = 6, Search = true, InputWindow = 0 });
        Assert.Equal(["search", "inputWindow", "initialWeights"], problems.Select(p => p.Field));
    }
}
