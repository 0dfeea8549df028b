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
    public void SplitGivesBackTheMembersWithTheirShareOfTheHead()
    {
        var config = new LstmConfig(2, 4, 2, 3, Peepholes: true);
        var members = Members(config, 3);
        var merged = Ensemble.Merge(members);
        var split = Ensemble.Split(merged, 3);
        Assert.NotNull(split);
        for (int m = 0; m < 3; m++)
        {
            Assert.Equal(config, split[m].Config);
            foreach (var t in members[m].Layout.Tensors)
            {
                var expected = members[m].Parameter(t.Name).ToArray();
                if (t.Name == ParameterLayout.HeadWeight) expected = Array.ConvertAll(expected, v => v * (1f / 3));
                if (t.Name == ParameterLayout.HeadBias) expected = m == 0 ? merged.Parameter(t.Name).ToArray() : new float[t.Length];
                AssertBitEqual(expected, split[m].Parameter(t.Name), $"member {m} {t.Name}");
            }
        }

        // The members' outputs add up to the merged network's.
        const int b = 5, steps = 6;
        var x = Random(new SeededRandom(3), b * steps * config.InputSize);
        var sum = new float[b * config.OutputSize];
        foreach (var member in split)
        {
            var ws = member.CreateWorkspace();
            ws.Infer(x, b, steps);
            for (int i = 0; i < sum.Length; i++) sum[i] += ws.Output[i];
        }
        var mws = merged.CreateWorkspace();
        mws.Infer(x, b, steps);
        AssertClose(mws.Output, sum, 1e-6, 1e-5, "members' sum vs merged");
    }

    [Fact]
    public void SplitRefusesANetworkWhoseMembersSeeEachOther()
    {
        var merged = Ensemble.Merge(Members(new LstmConfig(1, 4, 2, 2), 2));
        Assert.NotNull(Ensemble.Split(merged, 2));
        Assert.Null(Ensemble.Split(merged, 3)); // 8 hidden units are not 3 blocks
        merged.Parameter(ParameterLayout.WeightHh(1))[5] = 0.25f; // row 0 (member 0) reading member 1's unit 1
        Assert.Null(Ensemble.Split(merged, 2));
        var other = Ensemble.Merge(Members(new LstmConfig(1, 4, 2, 2), 2));
        other.Parameter(ParameterLayout.WeightIh(1))[8 * 8 - 1] = 0.25f; // last row (member 1) reading its own unit: still block-diagonal
        Assert.NotNull(Ensemble.Split(other, 2));
        other.Parameter(ParameterLayout.WeightIh(1))[8 * 8 - 8] = 0.25f; // last row reading member 0's first unit
        Assert.Null(Ensemble.Split(other, 2));
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
}
