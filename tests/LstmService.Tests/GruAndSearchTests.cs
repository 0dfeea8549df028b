using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LstmService.Forecasts;
using LstmService.Kernels;
using LstmService.Models;
using LstmService.Registry;

namespace LstmService.Tests;

/// <summary>The GRU cell and the cross-validated search through the API.</summary>
public sealed class GruAndSearchTests : ServiceFixture
{
    private static object Gru(ulong seed = 42) => new
    {
        series = new[] { new { values = Api.Sine(120) } },
        inputWindow = 12, horizon = 3, hiddenSize = 5, ensemble = 2, epochs = 3, statistics = false, cell = "gru", seed,
    };

    [Fact]
    public async Task A_gru_version_says_so_exports_torch_gru_tensors_and_registers_back_with_the_same_forecasts()
    {
        var job = await Client.TrainAsync("gru", Gru());
        var version = await Client.GetFromJsonAsync<VersionResponse>($"/models/gru/versions/{job.Version}", Api.Json);
        Assert.Equal(RecurrentCell.Gru, version!.Architecture.Cell);
        Assert.Equal(RecurrentCell.Gru, version.Training!.Cell);
        // 2 members of 5 units merged: 10 units, three gates each (r, z, n), as torch.nn.GRU lays them out.
        Assert.Equal(new RecurrentConfig(RecurrentCell.Gru, 1, 10, 1, 3 * 4).ParameterCount(), version.Architecture.Parameters);
        var raw = JsonDocument.Parse(await Client.GetStringAsync($"/models/gru/versions/{job.Version}")).RootElement;
        Assert.Equal("gru", raw.GetProperty("architecture").GetProperty("cell").GetString());

        var stateDict = JsonDocument.Parse(await Client.GetStringAsync($"/models/gru/versions/{job.Version}/weights?format=torch")).RootElement;
        Assert.Equal([30, 1], stateDict.GetProperty("gru.weight_ih_l0").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([30, 10], stateDict.GetProperty("gru.weight_hh_l0").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(stateDict.TryGetProperty("lstm.weight_ih_l0", out _));

        var registered = await Client.PostJsonAsync("/models/gru-copy/versions", new { stateDict });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var copy = await registered.ReadAsync<VersionResponse>();
        Assert.Equal(RecurrentCell.Gru, copy.Architecture.Cell);
        Assert.Equal(version.Architecture.Parameters, copy.Architecture.Parameters);

        var body = new { series = new[] { new { history = Api.Sine(24) } } };
        var a = await (await Client.PostJsonAsync("/models/gru/forecast", body)).ReadAsync<ForecastResponse>();
        var b = await (await Client.PostJsonAsync("/models/gru-copy/forecast", body)).ReadAsync<ForecastResponse>();
        Assert.Equal(a.Forecasts[0].Mean, b.Forecasts[0].Mean);
        // The binary download holds the GRU too (format version 2, its cell after the version).
        var binary = await Client.GetByteArrayAsync($"/models/gru/versions/{job.Version}/weights");
        Assert.Equal((2, 1), (BitConverter.ToInt32(binary, 8), BitConverter.ToInt32(binary, 12)));
    }

    [Fact]
    public async Task Omitting_the_cell_trains_a_gru_unless_peepholes_ask_for_an_lstm()
    {
        var job = await Client.TrainAsync("default-cell", Api.TinyTraining(epochs: 1));
        var version = await Client.GetFromJsonAsync<VersionResponse>($"/models/default-cell/versions/{job.Version}", Api.Json);
        Assert.Equal(RecurrentCell.Gru, version!.Architecture.Cell);
        Assert.Equal(RecurrentCell.Gru, version.Training!.Cell);

        // Peepholes exist on the LSTM only: asked for without a cell, they get one (stored in the format LSTM versions always had).
        var body = JsonSerializer.SerializeToNode(Api.TinyTraining(epochs: 1), Api.Json)!.AsObject();
        body["peepholes"] = true;
        job = await Client.TrainAsync("peephole-cell", body);
        version = await Client.GetFromJsonAsync<VersionResponse>($"/models/peephole-cell/versions/{job.Version}", Api.Json);
        Assert.Equal((RecurrentCell.Lstm, true), (version!.Architecture.Cell, version.Architecture.Peepholes));
        var binary = await Client.GetByteArrayAsync($"/models/peephole-cell/versions/{job.Version}/weights");
        Assert.Equal(1, BitConverter.ToInt32(binary, 8));
        var lstm = await Client.TrainAsync("lstm-cell", JsonSerializer.SerializeToNode(new { series = new[] { new { values = Api.Sine(80) } }, horizon = 3, epochs = 1, cell = "lstm" }, Api.Json));
        Assert.Equal(RecurrentCell.Lstm, (await Client.GetFromJsonAsync<VersionResponse>($"/models/lstm-cell/versions/{lstm.Version}", Api.Json))!.Architecture.Cell);
    }

    [Fact]
    public void Architecture_and_search_records_stored_before_the_gru_read_as_lstm()
    {
        var arch = JsonSerializer.Deserialize<ArchitectureInfo>("""{"inputSize":1,"hiddenSize":4,"layers":1,"outputSize":3,"peepholes":false,"dropout":0,"parameters":99}""", ModelRegistry.Json)!;
        Assert.Equal(RecurrentCell.Lstm, arch.Cell);
        var candidate = JsonSerializer.Deserialize<SearchCandidateInfo>("""{"name":"as requested","validationLoss":0.5,"chosen":true,"inputWindow":12,"hiddenSize":4,"layers":1,"learningRate":0.003}""", ModelRegistry.Json)!;
        Assert.Equal(RecurrentCell.Lstm, candidate.Cell);
        Assert.Empty(SearchCandidateResponse.From(candidate).FoldLosses);
        var settings = JsonSerializer.Deserialize<TrainingSettings>("""{"horizon":3}""", ModelRegistry.Json)!;
        Assert.Equal((RecurrentCell.Lstm, 3), (settings.Cell, settings.SearchFolds));
    }

    [Theory]
    [InlineData("""{"cell":"rnn"}""", "cell")]
    [InlineData("""{"cell":7}""", "cell")]
    [InlineData("""{"searchFolds":0}""", "searchFolds")]
    [InlineData("""{"searchFolds":11}""", "searchFolds")]
    [InlineData("""{"cell":"gru","peepholes":true}""", "peepholes")]
    public async Task Bad_cells_and_fold_counts_are_400s_naming_the_field_and_store_nothing(string extra, string field)
    {
        var body = JsonSerializer.Serialize(new { series = new[] { new { values = Api.Sine(60) } }, horizon = 3 }, Api.Json);
        body = body[..^1] + "," + extra[1..];
        var response = await Client.PostAsync("/models/bad-cell/training-jobs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var errors = await response.ValidationErrorsAsync();
        Assert.Contains(field, errors.Keys);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/models/bad-cell")).StatusCode);
    }

    [Fact]
    public async Task The_search_reports_each_candidates_loss_per_fold_and_their_mean_and_tries_the_other_cell()
    {
        var job = await Client.TrainAsync("cv", new
        {
            series = new[] { new { values = Api.Sine(150) } },
            inputWindow = 12, horizon = 3, hiddenSize = 4, ensemble = 1, epochs = 3, search = true, searchFolds = 2,
        });
        var version = await Client.GetFromJsonAsync<VersionResponse>($"/models/cv/versions/{job.Version}", Api.Json);
        Assert.Equal(2, version!.Training!.SearchFolds);
        var candidates = version.Metrics!.Search!;
        var lstm = Assert.Single(candidates, c => c.Name == "cell lstm"); // the other cell than the default GRU
        Assert.Equal(RecurrentCell.Lstm, lstm.Cell);
        Assert.Contains(candidates, c => c.Name == "as requested" && c.Cell == RecurrentCell.Gru);
        foreach (var c in candidates.Where(c => c.ValidationLoss is not null))
        {
            Assert.Equal(2, c.FoldLosses.Count);
            Assert.All(c.FoldLosses, l => Assert.NotNull(l));
            Assert.Equal(c.FoldLosses.Average(l => l!.Value), c.ValidationLoss!.Value, 9);
            Assert.Equal(2, c.FoldMase.Count);
            Assert.Equal(c.FoldMase.Average(l => l!.Value), c.ValidationMase!.Value, 9);
        }
        // Chosen by the MASE of the forecast a version of it would serve.
        var chosen = Assert.Single(candidates, c => c.Chosen);
        Assert.All(candidates.Where(c => c.ValidationMase is not null), c => Assert.True(chosen.ValidationMase <= c.ValidationMase));
        // The version is the chosen candidate, cell included.
        Assert.Equal((chosen.Cell, chosen.HiddenSize, chosen.Layers), (version.Architecture.Cell, version.Architecture.HiddenSize, version.Architecture.Layers));
        var raw = JsonDocument.Parse(await Client.GetStringAsync($"/models/cv/versions/{job.Version}")).RootElement;
        Assert.Equal(2, raw.GetProperty("metrics").GetProperty("search")[0].GetProperty("foldLosses").GetArrayLength());
        Assert.Equal(2, raw.GetProperty("metrics").GetProperty("search")[0].GetProperty("foldMase").GetArrayLength());
    }
}
