using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

/// <summary>
/// Merges K networks of one shape into a single network whose output is exactly their average (up to float rounding):
/// hidden units are concatenated (every weight matrix block-diagonal, so the members never see each other) and the
/// head averages the members' heads. The merged network is an ordinary <see cref="LstmNetwork"/>, so the binary
/// format, the state_dict export and the forecast path need nothing special for ensembles.
/// </summary>
public static class Ensemble
{
    public static LstmNetwork Merge(IReadOnlyList<LstmNetwork> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("At least one member is needed.", nameof(members));
        var c = members[0].Config;
        foreach (var m in members)
            if (m.Config != c) throw new ArgumentException("Ensemble members must share one shape.", nameof(members));
        if (members.Count == 1) return members[0].Clone();
        int k = members.Count, h = c.HiddenSize, kh = k * h, i0 = c.InputSize;
        var merged = new LstmNetwork(c with { HiddenSize = kh });
        for (int l = 0; l < c.Layers; l++)
        {
            var wih = merged.Parameter(ParameterLayout.WeightIh(l));
            var whh = merged.Parameter(ParameterLayout.WeightHh(l));
            var bih = merged.Parameter(ParameterLayout.BiasIh(l));
            var bhh = merged.Parameter(ParameterLayout.BiasHh(l));
            for (int m = 0; m < k; m++)
            {
                var src = members[m];
                var sih = src.Parameter(ParameterLayout.WeightIh(l));
                var shh = src.Parameter(ParameterLayout.WeightHh(l));
                var sbih = src.Parameter(ParameterLayout.BiasIh(l));
                var sbhh = src.Parameter(ParameterLayout.BiasHh(l));
                for (int gate = 0; gate < 4; gate++)
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

    /// <summary>
    /// The inverse of <see cref="Merge"/>: the <paramref name="count"/> members of a merged network, each with its own rows of
    /// every weight and its share of the averaging head (the head's bias goes to the first member, so the members' outputs
    /// sum to the merged output up to float rounding). null when the network is not block-diagonal in <paramref name="count"/>
    /// blocks (an imported state_dict need not be): off-block weights would be lost.
    /// </summary>
    public static LstmNetwork[]? Split(LstmNetwork merged, int count)
    {
        ArgumentNullException.ThrowIfNull(merged);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var c = merged.Config;
        if (c.HiddenSize % count != 0) return null;
        int k = count, kh = c.HiddenSize, h = kh / k, i0 = c.InputSize;
        if (!IsBlockDiagonal(merged, k)) return null;
        var members = new LstmNetwork[k];
        var head = merged.Parameter(ParameterLayout.HeadWeight);
        var headBias = merged.Parameter(ParameterLayout.HeadBias);
        for (int m = 0; m < k; m++)
        {
            var member = members[m] = new LstmNetwork(c with { HiddenSize = h });
            for (int l = 0; l < c.Layers; l++)
            {
                var wih = merged.Parameter(ParameterLayout.WeightIh(l));
                var whh = merged.Parameter(ParameterLayout.WeightHh(l));
                var bih = merged.Parameter(ParameterLayout.BiasIh(l));
                var bhh = merged.Parameter(ParameterLayout.BiasHh(l));
                var dih = member.Parameter(ParameterLayout.WeightIh(l));
                var dhh = member.Parameter(ParameterLayout.WeightHh(l));
                var dbih = member.Parameter(ParameterLayout.BiasIh(l));
                var dbhh = member.Parameter(ParameterLayout.BiasHh(l));
                for (int gate = 0; gate < 4; gate++)
                    for (int j = 0; j < h; j++)
                    {
                        int row = gate * h + j, src = gate * kh + m * h + j;
                        if (l == 0) wih.Slice(src * i0, i0).CopyTo(dih.Slice(row * i0, i0));
                        else wih.Slice(src * kh + m * h, h).CopyTo(dih.Slice(row * h, h));
                        whh.Slice(src * kh + m * h, h).CopyTo(dhh.Slice(row * h, h));
                        dbih[row] = bih[src];
                        dbhh[row] = bhh[src];
                    }
                if (c.Peepholes)
                {
                    var sp = merged.Parameter(ParameterLayout.Peephole(l));
                    var dp = member.Parameter(ParameterLayout.Peephole(l));
                    for (int gate = 0; gate < 3; gate++) sp.Slice(gate * kh + m * h, h).CopyTo(dp.Slice(gate * h, h));
                }
            }
            var dw = member.Parameter(ParameterLayout.HeadWeight);
            for (int o = 0; o < c.OutputSize; o++) head.Slice(o * kh + m * h, h).CopyTo(dw.Slice(o * h, h));
            if (m == 0) headBias.CopyTo(member.Parameter(ParameterLayout.HeadBias));
            member.ParametersChanged();
        }
        return members;
    }

    /// <summary>Whether every recurrent and inter-layer weight outside the <paramref name="k"/> diagonal blocks is zero.</summary>
    static bool IsBlockDiagonal(LstmNetwork merged, int k)
    {
        var c = merged.Config;
        int kh = c.HiddenSize, h = kh / k;
        for (int l = 0; l < c.Layers; l++)
        {
            var whh = merged.Parameter(ParameterLayout.WeightHh(l));
            var wih = l == 0 ? default : merged.Parameter(ParameterLayout.WeightIh(l));
            for (int row = 0; row < 4 * kh; row++)
            {
                int block = row % kh / h;
                if (!OnlyBlockNonZero(whh.Slice(row * kh, kh), block, h)) return false;
                if (l > 0 && !OnlyBlockNonZero(wih.Slice(row * kh, kh), block, h)) return false;
            }
        }
        return true;
    }

    static bool OnlyBlockNonZero(ReadOnlySpan<float> row, int block, int h)
    {
        int start = block * h;
        return !row[..start].ContainsAnyExcept(0f) && !row[(start + h)..].ContainsAnyExcept(0f);
    }
}
