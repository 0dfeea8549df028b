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

    /// <summary>
    /// The inverse of <see cref="Merge"/>: <paramref name="count"/> networks of hiddenSize / count units each, read back from
    /// the merged network's diagonal blocks. The members' own head biases are not stored (only their average is), so every
    /// member gets the average bias and its head weights scaled back by <paramref name="count"/>: the members' average
    /// forecast is the merged network's (up to float rounding), which is what a warm start continues from and what a
    /// forecast computes member by member. Throws when the network is not block-diagonal in <paramref name="count"/> blocks.
    /// </summary>
    public static IRecurrentNetwork[] Split(IRecurrentNetwork merged, int count)
    {
        ArgumentNullException.ThrowIfNull(merged);
        var mc = merged.Config;
        if (count < 1 || mc.HiddenSize % count != 0)
            throw new ArgumentException($"A network of {mc.HiddenSize} hidden units does not split into {count} members.", nameof(count));
        if (count == 1) return [merged.Clone()];
        if (!IsBlockDiagonal(merged, count))
            throw new ArgumentException($"The network's weights are not {count} diagonal blocks: it is not a merged ensemble of {count}.", nameof(merged));
        int k = count, kh = mc.HiddenSize, h = kh / k, i0 = mc.InputSize;
        var c = mc with { HiddenSize = h };
        var members = new IRecurrentNetwork[k];
        for (int m = 0; m < k; m++)
        {
            var dst = members[m] = c.CreateEmpty();
            for (int l = 0; l < c.Layers; l++)
            {
                var wih = merged.Parameter(c.WeightIh(l));
                var whh = merged.Parameter(c.WeightHh(l));
                var bih = merged.Parameter(c.BiasIh(l));
                var bhh = merged.Parameter(c.BiasHh(l));
                var dih = dst.Parameter(c.WeightIh(l));
                var dhh = dst.Parameter(c.WeightHh(l));
                var dbih = dst.Parameter(c.BiasIh(l));
                var dbhh = dst.Parameter(c.BiasHh(l));
                for (int gate = 0; gate < c.Gates; gate++)
                    for (int j = 0; j < h; j++)
                    {
                        int dstRow = gate * h + j, row = gate * kh + m * h + j;
                        if (l == 0) wih.Slice(row * i0, i0).CopyTo(dih.Slice(dstRow * i0, i0));
                        else wih.Slice(row * kh + m * h, h).CopyTo(dih.Slice(dstRow * h, h));
                        whh.Slice(row * kh + m * h, h).CopyTo(dhh.Slice(dstRow * h, h));
                        dbih[dstRow] = bih[row];
                        dbhh[dstRow] = bhh[row];
                    }
                if (c.Peepholes)
                {
                    var sp = merged.Parameter(ParameterLayout.Peephole(l));
                    var dp = dst.Parameter(ParameterLayout.Peephole(l));
                    for (int gate = 0; gate < 3; gate++) sp.Slice(gate * kh + m * h, h).CopyTo(dp.Slice(gate * h, h));
                }
            }
            var head = merged.Parameter(ParameterLayout.HeadWeight);
            var dw = dst.Parameter(ParameterLayout.HeadWeight);
            for (int o = 0; o < c.OutputSize; o++)
                for (int j = 0; j < h; j++) dw[o * h + j] = head[o * kh + m * h + j] * k;
            merged.Parameter(ParameterLayout.HeadBias).CopyTo(dst.Parameter(ParameterLayout.HeadBias));
            dst.ParametersChanged();
        }
        return members;
    }

    /// <summary>
    /// Whether every recurrent and inter-layer weight of <paramref name="merged"/> lies in <paramref name="count"/> diagonal
    /// blocks, as <see cref="Merge"/> makes them (an imported state_dict need not be): only then does <see cref="Split"/> lose nothing.
    /// </summary>
    public static bool IsBlockDiagonal(IRecurrentNetwork merged, int count)
    {
        ArgumentNullException.ThrowIfNull(merged);
        var c = merged.Config;
        if (count < 1 || c.HiddenSize % count != 0) return false;
        int kh = c.HiddenSize, h = kh / count;
        for (int l = 0; l < c.Layers; l++)
        {
            var whh = merged.Parameter(c.WeightHh(l));
            var wih = l == 0 ? default : merged.Parameter(c.WeightIh(l));
            for (int row = 0; row < c.Gates * kh; row++)
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
