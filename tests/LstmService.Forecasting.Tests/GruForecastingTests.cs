using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Kernels;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Forecasting.Tests;

/// <summary>The forecaster on a GRU: trained, stored in both formats and read back, with the same options as an LSTM.</summary>
public class GruForecastingTests
{
    // Statistics off: the network's forecast is the model's, so what the cell does shows in every number.
    static readonly TrainingOptions Small = new()
    {
        Horizon = 3, HiddenSize = 6, Epochs = 4, Patience = 2, BatchSize = 16, Ensemble = 2, Seed = 7, Statistics = false, Cell = RecurrentCell.Gru,
    };

    static float[] Seasonal(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => (float)(50 + 0.2 * t + 5 * Math.Sin(2 * Math.PI * t / 12) + rng.NextGaussian())).ToArray();
    }

    [Fact]
    public void A_gru_model_trains_merges_its_members_and_differs_from_the_lstm()
    {
        var series = Seasonal(160, 3);
        var gru = ForecastTrainer.Train([series], Small).Model;
        var merged = Assert.IsType<GruNetwork>(gru.Network);
        Assert.Equal(RecurrentCell.Gru, gru.Network.Config.Cell);
        Assert.Equal(2 * Small.HiddenSize, merged.Config.HiddenSize);
        Assert.Contains(gru.Network.Parameters, p => p != 0);
        var lstm = ForecastTrainer.Train([series], Small with { Cell = RecurrentCell.Lstm }).Model;
        Assert.IsType<LstmNetwork>(lstm.Network);
        Assert.NotEqual(lstm.Forecast([series])[0].Mean, gru.Forecast([series])[0].Mean);
        // Deterministic like the LSTM: the same request gives the same weights.
        AssertBitEqual(gru.Network.Parameters, ForecastTrainer.Train([series], Small).Model.Network.Parameters, "retrained GRU weights");
    }

    [Fact]
    public void A_gru_model_round_trips_through_the_binary_format_and_the_state_dict()
    {
        var series = Seasonal(160, 5);
        var model = ForecastTrainer.Train([series], Small).Model;
        var expected = model.Forecast([series])[0];

        var ms = new MemoryStream();
        model.Save(ms);
        ms.Position = 0;
        var loaded = ForecastModel.Load(ms);
        Assert.IsType<GruNetwork>(loaded.Network);
        AssertBitEqual(expected.Mean, loaded.Forecast([series])[0].Mean, "forecast after binary reload");

        var json = model.ToStateDictJson();
        Assert.Contains("\"gru.weight_ih_l0\"", json);
        Assert.DoesNotContain("\"lstm.", json);
        var imported = ForecastModel.FromStateDict(json);
        Assert.IsType<GruNetwork>(imported.Network);
        AssertBitEqual(expected.Mean, imported.Forecast([series])[0].Mean, "forecast after state_dict import");
        AssertBitEqual(expected.Quantiles[0.9f], imported.Forecast([series])[0].Quantiles[0.9f], "0.9 quantile after state_dict import");
    }

    [Fact]
    public void The_default_cell_is_the_gru_and_peepholes_with_a_gru_and_search_folds_out_of_range_are_named()
    {
        Assert.Equal(RecurrentCell.Gru, new TrainingOptions().Cell);
        var series = new[] { new TrainingSeries(Seasonal(80, 1)) };
        var problems = ForecastTrainer.Check(series, Small with { Peepholes = true, SearchFolds = 0 });
        Assert.Contains(problems, p => p.Field == "peepholes");
        Assert.Contains(problems, p => p.Field == "searchFolds");
        Assert.Contains(ForecastTrainer.Check(series, Small with { SearchFolds = TrainingOptions.MaxSearchFolds + 1 }), p => p.Field == "searchFolds");
        Assert.Empty(ForecastTrainer.Check(series, Small with { SearchFolds = TrainingOptions.MaxSearchFolds }));
        Assert.Empty(ForecastTrainer.Check(series, Small with { Cell = RecurrentCell.Lstm, Peepholes = true }));
    }
}
