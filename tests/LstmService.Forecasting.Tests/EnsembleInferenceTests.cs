using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Kernels;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Forecasting.Tests;

/// <summary>How a model runs its network at inference: an ensemble member by member, a silenced network not at all.</summary>
public class EnsembleInferenceTests
{
    static LstmNetwork[] Members(LstmConfig config, int count) => Enumerable.Range(1, count).Select(seed =>
    {
        var net = LstmNetwork.Create(config, (ulong)seed, forgetBiasOne: true);
        if (config.Peepholes)
        {
            var rng = new SeededRandom((ulong)seed + 100);
            foreach (var t in net.Layout.Tensors.Where(t => t.Name.Contains("peephole")))
                for (int i = 0; i < t.Length; i++) net.Parameters[t.Offset + i] = rng.NextUniform(-0.3f, 0.3f);
            net.ParametersChanged();
        }
        return net;
    }).ToArray();

    [Fact]
    public void SplitRefusesANetworkWhoseMembersSeeEachOther()
    {
        var merged = Ensemble.Merge(Members(new LstmConfig(1, 4, 2, 2), 2));
        Assert.True(Ensemble.IsBlockDiagonal(merged, 2));
        Assert.False(Ensemble.IsBlockDiagonal(merged, 3)); // 8 hidden units are not 3 blocks
        merged.Parameter(ParameterLayout.WeightHh(1))[5] = 0.25f; // row 0 (member 0) reading member 1's unit 1
        Assert.False(Ensemble.IsBlockDiagonal(merged, 2));
        Assert.Throws<ArgumentException>(() => Ensemble.Split(merged, 2));
        var other = Ensemble.Merge(Members(new LstmConfig(1, 4, 2, 1), 2));
        other.Parameter(ParameterLayout.WeightIh(1))[8 * 8 - 1] = 0.25f; // last row (member 1) reading its own unit: still block-diagonal
        Assert.True(Ensemble.IsBlockDiagonal(other, 2));
        other.Parameter(ParameterLayout.WeightIh(1))[8 * 8 - 8] = 0.25f; // last row reading member 0's first unit
        Assert.False(Ensemble.IsBlockDiagonal(other, 2));

        // Such a network still forecasts, as one network: what it says, off-block weights included.
        var model = new ForecastModel(other, 10, 1, [], ScalingMode.WindowLevel, highway: null, ensembleSize: 2);
        var history = Random(new SeededRandom(2), 12, 0f, 5f);
        var ws = other.CreateWorkspace();
        var x = new float[10];
        var (level, scale) = ForecastModel.EncodeWindow(history, history.Length, 10, ScalingMode.WindowLevel, SeriesMath.Statistics(history, ScalingMode.WindowLevel), x);
        ws.Infer(x, 1, 10);
        Assert.Equal(level + scale * ws.Output[0], model.Forecast([history])[0].Mean[0], 4);
    }

    [Fact]
    public void AnEnsembleForecastsWhatItsMergedNetworkSays()
    {
        const int window = 12, horizon = 4;
        var config = new LstmConfig(1, 6, 1, horizon * 3);
        var merged = Ensemble.Merge(Members(config, 4));
        float[] quantiles = [0.1f, 0.9f];
        var byMembers = new ForecastModel(merged, window, horizon, quantiles, ScalingMode.WindowLevel, highway: null, ensembleSize: 4);
        var asOne = new ForecastModel(merged, window, horizon, quantiles, ScalingMode.WindowLevel, highway: null, ensembleSize: 1);
        var rng = new SeededRandom(5);
        var histories = Enumerable.Range(0, 300).Select(_ => Random(rng, 20, 0f, 10f)).ToList(); // more than one 256-row chunk
        var a = byMembers.Forecast(histories);
        var b = asOne.Forecast(histories);
        for (int i = 0; i < histories.Count; i++)
        {
            AssertClose(b[i].Mean, a[i].Mean, 1e-5, 1e-5, $"series {i} mean");
            foreach (var q in quantiles) AssertClose(b[i].Quantiles[q], a[i].Quantiles[q], 1e-5, 1e-5, $"series {i} quantile {q}");
        }
        // Deterministic: the same inputs give the same bits again (the pooled workspaces are reused).
        var again = byMembers.Forecast(histories);
        for (int i = 0; i < histories.Count; i++) AssertBitEqual(a[i].Mean, again[i].Mean, $"series {i} again");
    }

    [Fact]
    public void ASilencedNetworkIsNotRun()
    {
        // A network whose output would be NaN: silenced (correction scale 0), the forecast is the highway's alone, exactly what a
        // network of zeros gives, so the network was not run (NaN times zero would be NaN).
        const int window = 8, horizon = 3;
        var config = new LstmConfig(1, 5, 1, horizon);
        var poisoned = LstmNetwork.Create(config, 7);
        poisoned.Parameter(ParameterLayout.HeadBias)[0] = float.NaN;
        poisoned.ParametersChanged();
        var highway = new LinearHighway(relative: true, [[0.5f, 0.25f, 0f]]);
        var silenced = new ForecastModel(poisoned, window, horizon, [], ScalingMode.WindowLevel, highway, correctionScale: 0f);
        var zeros = new ForecastModel(new LstmNetwork(config), window, horizon, [], ScalingMode.WindowLevel, highway);
        var rng = new SeededRandom(11);
        var histories = Enumerable.Range(0, 7).Select(_ => Random(rng, 15, 1f, 5f)).ToList();
        var a = silenced.Forecast(histories);
        var b = zeros.Forecast(histories);
        for (int i = 0; i < histories.Count; i++)
        {
            Assert.All(a[i].Mean, v => Assert.True(float.IsFinite(v)));
            AssertBitEqual(b[i].Mean, a[i].Mean, $"series {i}");
        }
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm)]
    [InlineData(RecurrentCell.Gru)]
    public void AForecastIsTheSameBitsAloneInABatchAndAmongConcurrentCalls(RecurrentCell cell)
    {
        // Small calls are combined across concurrent forecasts (InferenceBatcher), large ones run as they come: a series'
        // forecast must not depend on which other series shared its pass.
        const int window = 12, horizon = 3;
        var config = new RecurrentConfig(cell, 1, 6, 2, horizon * 3);
        var merged = Ensemble.Merge(Enumerable.Range(1, 3).Select(seed => config.Create((ulong)seed)).ToArray());
        var model = new ForecastModel(merged, window, horizon, [0.1f, 0.9f], ScalingMode.WindowLevel, highway: null, ensembleSize: 3);
        var rng = new SeededRandom(8);
        var histories = Enumerable.Range(0, 64).Select(_ => Random(rng, 20, 0f, 10f)).ToList();
        var alone = histories.Select(h => model.Forecast([h])[0]).ToArray();
        var together = model.Forecast(histories);
        var concurrent = new SeriesForecast[histories.Count];
        for (int round = 0; round < 5; round++)
            Parallel.For(0, histories.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => concurrent[i] = model.Forecast([histories[i]])[0]);
        for (int i = 0; i < histories.Count; i++)
        {
            AssertBitEqual(alone[i].Mean, together[i].Mean, $"series {i} in a batch");
            AssertBitEqual(alone[i].Mean, concurrent[i].Mean, $"series {i} among concurrent calls");
            AssertBitEqual(alone[i].Quantiles[0.9f], concurrent[i].Quantiles[0.9f], $"series {i} quantile");
        }
    }
}
