using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

/// <summary>
/// Merges K networks of one shape into a single network whose output is exactly their average (up to float rounding):
/// hidden units are concatenated (every weight matrix block-diagonal, so the members never see each other) and the
/// head averages the members' heads. Either cell merges so, as every gate acts unit by unit (the GRU's reset gate too: it
/// scales the unit's own recurrent term). The merged network is an ordinary network of the members' cell, so the binary
/// format, the state_dict export and the forecast path need nothing special for ensembles.
/// </summary>
public static class Ensemble
{
    public static IRecurrentNetwork Merge(IReadOnlyList<IRecurrentNetwork> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("At least one member is needed.", nameof(members));
        var c = members[0].Config;
        foreach (var m in members)
            if (m.Config != c) throw new ArgumentException("Ensemble members must share one shape.", nameof(members));
        if (members.Count == 1) return members[0].Clone();
        int k = members.Count, h = c.HiddenSize, kh = k * h, i0 = c.InputSize;
        var merged = (c with { HiddenSize = kh }).CreateEmpty();
        for (int l = 0; l < c.Layers; l++)
        {
            var wih = merged.Parameter(c.WeightIh(l));
            var whh = merged.Parameter(c.WeightHh(l));
            var bih = merged.Parameter(c.BiasIh(l));
            var bhh = merged.Parameter(c.BiasHh(l));
            for (int m = 0; m < k; m++)
            {
                var src = members[m];
                var sih = src.Parameter(c.WeightIh(l));
                var shh = src.Parameter(c.WeightHh(l));
                var sbih = src.Parameter(c.BiasIh(l));
                var sbhh = src.Parameter(c.BiasHh(l));
                for (int gate = 0; gate < c.Gates; gate++)
                    for (int j = 0; j < h; j++)
                    {
                        int srcRow = gate * h + j, row = gate * kh + m * h + j;
                        if (l == 0)
                            sih.Slice(srcRow * i0, i0).CopyTo(wih.Slice(row * i0, i0));
                        else // the layer below is block-diagonal too: member m reads only its own hidden units
                            sih.Slice(srcRow * h, h).CopyTo(wih.Slice(row * kh + m * h, h));
                        shh.Slice(srcRow * h, h).CopyTo(whh.Slice(row * kh + m * h, h));
                        bih[row] = sbih[srcRow];
                        bhh[row] = sbhh[srcRow];
                    }
                if (c.Peepholes)
                {
                    var sp = src.Parameter(ParameterLayout.Peephole(l));
                    var dp = merged.Parameter(ParameterLayout.Peephole(l));
                    for (int gate = 0; gate < 3; gate++) sp.Slice(gate * h, h).CopyTo(dp.Slice(gate * kh + m * h, h));
                }
            }
        }
        var head = merged.Parameter(ParameterLayout.HeadWeight);
        var headBias = merged.Parameter(ParameterLayout.HeadBias);
        float inv = 1f / k;
        for (int m = 0; m < k; m++)
        {
            var sw = members[m].Parameter(ParameterLayout.HeadWeight);
            var sb = members[m].Parameter(ParameterLayout.HeadBias);
            for (int o = 0; o < c.OutputSize; o++)
            {
                for (int j = 0; j < h; j++) head[o * kh + m * h + j] = sw[o * h + j] * inv;
                headBias[o] += sb[o] * inv;
            }
        }
        merged.ParametersChanged();
        return merged;
    }
}
