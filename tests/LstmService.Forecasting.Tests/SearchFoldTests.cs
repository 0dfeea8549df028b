using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>The search's rolling-origin cross-validation: where the folds fall, and that no fold sees data after its boundary.</summary>
public class SearchFoldTests
{
    static readonly TrainingOptions Quick = new()
    {
        Horizon = 3, InputWindow = 8, SeasonLength = 12, HiddenSize = 4, Epochs = 3, Patience = 2, Ensemble = 1, Seed = 3,
        Search = true, SearchFolds = 3,
    };

    static float[] Seasonal(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => (float)(50 + 0.1 * t + 5 * Math.Sin(2 * Math.PI * t / 12) + rng.NextGaussian())).ToArray();
    }

    [Fact]
    public void Folds_are_consecutive_blocks_ending_at_the_validation_split()
    {
        var set = SeriesSet.Prepare([new TrainingSeries(Seasonal(120, 1)), new TrainingSeries(Seasonal(95, 2))], Quick);
        var folds = HyperparameterSearch.Folds(set, 3, Quick.Horizon, Quick.InputWindow + Quick.Horizon);
        Assert.Equal(3, folds.Count);
        // Validation 24 of 120 and 19 of 95 values: blocks of that length, one after the other, the last the split itself.
        Assert.Equal([72, 96, 120], folds.Select(f => f!.Value.Ends[0]));
        Assert.Equal([48, 72, 96], folds.Select(f => f!.Value.ValidationStarts[0]));
        Assert.Equal([57, 76, 95], folds.Select(f => f!.Value.Ends[1]));
        Assert.Equal([38, 57, 76], folds.Select(f => f!.Value.ValidationStarts[1]));
        Assert.Equal(set.ValidationStart, folds[^1]!.Value.ValidationStarts);
        // Too many folds for the data: the early ones leave too little to train before their block and do not validate.
        var many = HyperparameterSearch.Folds(set, 6, Quick.Horizon, Quick.InputWindow + Quick.Horizon);
        Assert.Null(many[0]);
        Assert.NotNull(many[^1]);
    }

    [Fact]
    public void A_fold_holds_nothing_from_after_its_end_and_fills_its_training_part_from_that_part_alone()
    {
        var values = Seasonal(120, 4);
        values[46] = values[47] = values[48] = values[49] = float.NaN; // a gap across fold 0's validation start (48)
        var set = SeriesSet.Prepare([new TrainingSeries(values)], Quick);
        var fold = set.Fold([72], [48]);
        Assert.Equal(72, fold.Raw[0].Length);
        Assert.Equal(72, fold.Filled[0].Length);
        Assert.Equal(48, fold.ValidationStart[0]);
        // The training part's gap is carried forward from its last value, not interpolated toward a validation value.
        Assert.Equal(values[45], fold.Filled[0][46]);
        Assert.Equal(values[45], fold.Filled[0][47]);
        // The whole series' fill interpolates across the gap (what a fold must not do).
        Assert.NotEqual(values[45], set.Filled[0][47]);
    }

    [Fact]
    public void A_fold_no_candidate_can_train_on_is_left_out_of_every_mean()
    {
        // Missing before t = 44: the first fold (training part [0, 48)) has no window to train on, for any candidate.
        var values = Seasonal(120, 8);
        for (int t = 1; t < 44; t++) values[t] = float.NaN;
        var search = ForecastTrainer.Train([values], Quick).Search!;
        Assert.All(search, c => Assert.True(double.IsNaN(c.FoldLosses[0]), $"{c.Name}: {c.FoldLosses[0]}"));
        Assert.Contains(search, c => double.IsFinite(c.ValidationLoss));
        Assert.All(search, c => Assert.True(double.IsNaN(c.FoldMase![0]), $"{c.Name}: {c.FoldMase![0]}"));
        var chosen = Assert.Single(search, c => c.Chosen);
        Assert.Equal(chosen.FoldLosses.Skip(1).Average(), chosen.ValidationLoss, 12);
        Assert.Equal(chosen.FoldMase!.Skip(1).Average(), chosen.ValidationMase, 12);
    }

    [Fact]
    public void No_fold_sees_data_after_its_boundary()
    {
        // Two series equal up to fold 0's end (72) and different after it, with a gap across that end: every candidate's
        // loss on fold 0 must be the same to the bit, and the later folds, which see the difference, must not be.
        var original = Seasonal(120, 6);
        original[70] = original[71] = original[72] = original[73] = float.NaN;
        var changed = (float[])original.Clone();
        for (int t = 74; t < changed.Length; t++) changed[t] = 3 * changed[t] + 40 * MathF.Sin(t);
        var a = ForecastTrainer.Train([original], Quick).Search!;
        var b = ForecastTrainer.Train([changed], Quick).Search!;
        Assert.Equal(a.Select(c => c.Name), b.Select(c => c.Name));
        Assert.Contains(a, c => c.Name == "cell lstm" && c.Options.Cell == RecurrentCell.Lstm); // the other cell than the default GRU
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(3, a[i].FoldLosses.Count);
            Assert.True(double.IsFinite(a[i].FoldLosses[0]), $"{a[i].Name} fold 0");
            Assert.Equal(BitConverter.DoubleToInt64Bits(a[i].FoldLosses[0]), BitConverter.DoubleToInt64Bits(b[i].FoldLosses[0]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(a[i].FoldMase![0]), BitConverter.DoubleToInt64Bits(b[i].FoldMase![0]));
            Assert.NotEqual(a[i].FoldLosses[2], b[i].FoldLosses[2]);
            // The score is the folds' mean MASE of the forecast as served, and the lowest wins.
            Assert.Equal(a[i].FoldLosses.Average(), a[i].ValidationLoss, 12);
            Assert.Equal(a[i].FoldMase!.Average(), a[i].ValidationMase, 12);
        }
        Assert.Single(a, c => c.Chosen);
        Assert.Equal(a.Min(c => c.ValidationMase), a.Single(c => c.Chosen).ValidationMase);
    }

    [Fact]
    public void Where_the_network_is_silenced_its_candidates_tie_and_the_request_stands()
    {
        // 120 values hold far fewer than ForecastTrainer.MinimumNetworkWindows training windows: the network's correction
        // is scaled to zero, so a candidate that changes the network alone forecasts exactly as the request does. The
        // network's own losses still differ; choosing by them had trained hiddenSize or layers for nothing (a QA pass).
        var values = Seasonal(120, 4);
        var search = ForecastTrainer.Train([values], Quick).Search!;
        var requested = search[0];
        Assert.Equal("as requested", requested.Name);
        Assert.True(double.IsFinite(requested.ValidationMase));
        foreach (var network in search.Where(c => c.Name.StartsWith("cell ", StringComparison.Ordinal) || c.Name.StartsWith("hiddenSize ", StringComparison.Ordinal)
                     || c.Name.StartsWith("layers ", StringComparison.Ordinal) || c.Name.StartsWith("learningRate ", StringComparison.Ordinal)))
            Assert.Equal(BitConverter.DoubleToInt64Bits(requested.ValidationMase), BitConverter.DoubleToInt64Bits(network.ValidationMase));
        Assert.Contains(search.Skip(1), c => c.ValidationLoss != requested.ValidationLoss);
        var chosen = Assert.Single(search, c => c.Chosen);
        Assert.True(chosen == requested || chosen.ValidationMase < requested.ValidationMase, $"{chosen.Name} chosen on a tie");
    }
}
