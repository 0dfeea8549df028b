using System.Text.Json.Nodes;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Forecasting.Tests;

/// <summary>The state_dict export carries its forecast settings ("_forecast"), so any model, covariates included, imports from it alone.</summary>
public class ForecastingStateDictTests
{
    static (ForecastModel Model, ForecastInput Input) CovariateModel()
    {
        var rng = new SeededRandom(17);
        const int n = 160, s = 3;
        var promo = Enumerable.Range(0, n + s).Select(_ => rng.NextFloat() < 0.3f ? 1f : 0f).ToArray();
        var temp = Enumerable.Range(0, n + s).Select(t => (float)Math.Sin(t * 0.2)).ToArray();
        var values = Enumerable.Range(0, n + s).Select(t => (float)(20 + 5 * promo[t] + temp[t] + 0.3 * rng.NextGaussian())).ToArray();
        var options = new TrainingOptions
        {
            InputWindow = 6, Horizon = s, HiddenSize = 4, Epochs = 2, Ensemble = 2, Seed = 3, SeasonLength = 7,
            FutureCovariates = ["promo"], Scaling = ScalingMode.SeriesZScore,
        };
        var covariates = new Dictionary<string, float[]> { ["promo"] = promo[..n], ["temp"] = temp[..n] };
        var model = ForecastTrainer.Train([new TrainingSeries(values[..n], covariates)], options).Model;
        var input = new ForecastInput(values[..n], covariates, new Dictionary<string, float[]> { ["promo"] = promo[n..] });
        return (model, input);
    }

    [Fact]
    public void A_covariate_model_imports_from_its_own_export_alone()
    {
        var (model, input) = CovariateModel();
        var json = model.ToStateDictJson();
        var settings = JsonNode.Parse(json)![ForecastModel.StateForecastKey]!;
        Assert.Equal(6, (int)settings["inputWindow"]!);
        Assert.Equal("seriesZScore", (string)settings["scaling"]!);
        Assert.Equal(["promo"], settings["futureCovariates"]!.AsArray().Select(n => (string)n!));

        var imported = ForecastModel.FromStateDict(json);
        Assert.Equal((model.InputWindow, model.Horizon, model.Scaling, model.Strategy, model.SeasonLength, model.EnsembleSize),
            (imported.InputWindow, imported.Horizon, imported.Scaling, imported.Strategy, imported.SeasonLength, imported.EnsembleSize));
        Assert.Equal(model.Quantiles, imported.Quantiles);
        Assert.Equal(["promo", "temp"], imported.Covariates);
        Assert.Equal(["promo"], imported.FutureCovariates);
        var a = model.Forecast([input])[0]; var b = imported.Forecast([input])[0];
        AssertBitEqual(a.Mean, b.Mean, "forecast of the imported covariate model");
        foreach (var q in model.Quantiles) AssertBitEqual(a.Quantiles[q], b.Quantiles[q], $"quantile {q} of the imported covariate model");

        // Arguments that agree are fine; one that contradicts the document is an error, not an override.
        ForecastModel.FromStateDict(json, 6, 3, model.Quantiles.ToArray(), ScalingMode.SeriesZScore, ForecastStrategy.Direct);
        Assert.Contains("disagrees", Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(json, horizon: 4)).Message);
        Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(json, scaling: ScalingMode.WindowLevel));
        Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(json, quantiles: [0.5f]));
    }

    /// <summary>Records the size of every write a stream receives.</summary>
    sealed class WriteRecorder : MemoryStream
    {
        public List<int> Writes { get; } = [];
        public override void Write(byte[] buffer, int offset, int count) { Writes.Add(count); base.Write(buffer, offset, count); }
        public override void Write(ReadOnlySpan<byte> buffer) { Writes.Add(buffer.Length); base.Write(buffer); }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) { Write(buffer, offset, count); return Task.CompletedTask; }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) { Write(buffer.Span); return ValueTask.CompletedTask; }
    }

    [Fact]
    public async Task The_export_streams_in_bounded_writes_the_same_bytes_as_the_string()
    {
        // 200,000 parameters: about 2 MB of JSON, which reaches the stream in writes of about StateDictFlushBytes, not at once.
        var network = GruNetwork.Create(new GruConfig(1, 256, 1, 3), 5);
        var model = new ForecastModel(network, 8, 3, [], ScalingMode.WindowLevel);
        var recorder = new WriteRecorder();
        await model.WriteStateDictJsonAsync(recorder);
        var whole = model.ToStateDictJson();
        Assert.Equal(whole, System.Text.Encoding.UTF8.GetString(recorder.ToArray()));
        Assert.True(recorder.Length > 20L * Kernels.ModelSerializer.StateDictFlushBytes, $"{recorder.Length} bytes");
        Assert.True(recorder.Writes.Count > 20, $"{recorder.Writes.Count} writes");
        Assert.All(recorder.Writes, n => Assert.InRange(n, 1, Kernels.ModelSerializer.StateDictFlushBytes + 64));
    }

    [Fact]
    public async Task The_streaming_exports_match_the_whole_document_writers_bytes()
    {
        // Written by the writer that built the whole document (a parsed copy of the kernels' tensors, or a JSON node per
        // value for a classifier) before the exports streamed: a GRU of two layers with a covariate, highway and calibration,
        // and an LSTM classifier whose classes need escaping.
        var network = GruNetwork.Create(new GruConfig(2, 6, 2, 2 * 3), 11);
        var rng = new SeededRandom(5);
        var weight = Enumerable.Range(0, 2 * 4).Select(_ => rng.NextFloat() - 0.5f).ToArray();
        var highway = LinearHighway.FromMap(weight, [0.25f, -0.125f], 4);
        var model = new ForecastModel(network, 4, 2, [0.1f, 0.9f], ScalingMode.WindowLevel, highway, [0.5f, -1.5f, 2.25f, 0.001f], 3, 2, ForecastStrategy.Direct, ["temp"], []);
        var classifier = new Classification.SequenceClassifier(LstmNetwork.Create(new LstmConfig(1, 4, 1, 3), 7), ["été", "a\"b", "日本"], [], [1.5f], [0.25f]);
        string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", name));

        Assert.Equal(Golden("state-dict-forecaster.json"), model.ToStateDictJson());
        Assert.Equal(Golden("state-dict-classifier.json"), classifier.ToStateDictJson());
        using var streamed = new MemoryStream();
        await classifier.WriteStateDictJsonAsync(streamed);
        Assert.Equal(Golden("state-dict-classifier.json"), System.Text.Encoding.UTF8.GetString(streamed.ToArray()));
    }

    [Fact]
    public void Two_dimensional_tensors_may_come_as_rows_as_pytorch_tolist_gives_them()
    {
        var (model, input) = CovariateModel();
        var flat = JsonNode.Parse(model.ToStateDictJson())!.AsObject();
        var nested = flat.DeepClone().AsObject();
        int tensors = 0;
        foreach (var (name, node) in nested.ToList())
        {
            if (node is not JsonObject t || t["shape"] is not JsonArray { Count: 2 } shape) continue;
            int rows = (int)shape[0]!, cols = (int)shape[1]!;
            var values = t["data"]!.AsArray().Select(v => (float)v!).ToArray();
            t["data"] = new JsonArray(Enumerable.Range(0, rows).Select(r => (JsonNode)new JsonArray(values.Skip(r * cols).Take(cols).Select(v => (JsonNode)JsonValue.Create(v)!).ToArray())).ToArray());
            tensors++;
        }
        Assert.True(tensors >= 4, $"{tensors} two-dimensional tensors"); // the recurrent weights, the head, the highway, the calibration
        var a = ForecastModel.FromStateDict(flat.ToJsonString()).Forecast([input])[0];
        var b = ForecastModel.FromStateDict(nested.ToJsonString()).Forecast([input])[0];
        AssertBitEqual(a.Mean, b.Mean, "nested rows against flat values");

        // A row of the wrong length, or a value that is not a number, is named.
        var shortRow = nested.DeepClone().AsObject();
        shortRow["head.weight"]!["data"]![0]!.AsArray().RemoveAt(0);
        Assert.Contains("Tensor 'head.weight' holds rows that do not match its shape", Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(shortRow.ToJsonString())).Message);
        var text = flat.DeepClone().AsObject();
        text["head.bias"]!["data"]![0] = "1";
        Assert.Contains("Tensor 'head.bias' value 0 is not a finite number: it is a JSON string.", Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(text.ToJsonString())).Message);
    }

    [Fact]
    public void A_plain_state_dict_needs_the_window_and_horizon_and_bad_settings_are_rejected()
    {
        var network = LstmNetwork.Create(new LstmConfig(1, 4, 1, 2), 5, forgetBiasOne: true);
        var plain = new ForecastModel(network, 8, 2, [], ScalingMode.WindowLevel).ToStateDictJson();
        var node = JsonNode.Parse(plain)!.AsObject();
        node.Remove(ForecastModel.StateForecastKey);
        var torch = node.ToJsonString(); // what PyTorch would export: tensors only
        Assert.Contains("inputWindow is required", Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(torch)).Message);
        var model = ForecastModel.FromStateDict(torch, 8, 2);
        Assert.Equal((8, 2, 1, 0), (model.InputWindow, model.Horizon, model.EnsembleSize, model.SeasonLength));

        foreach (var bad in new[] { "[]", """{"inputWindow": "eight"}""", """{"scaling": "log"}""", """{"covariates": [1]}""", """{"ensemble": 0}""" })
        {
            var doc = JsonNode.Parse(plain)!.AsObject();
            doc[ForecastModel.StateForecastKey] = JsonNode.Parse(bad);
            Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(doc.ToJsonString(), 8, 2));
        }
    }

    /// <summary>The error <paramref name="json"/> raises on import, with where it is filed: a key inside the document, or an argument.</summary>
    static (string? Key, string? Argument, string Message) ImportError(string json, int? inputWindow = null, int? horizon = null, float[]? quantiles = null)
    {
        var e = Assert.Throws<InvalidDataException>(() => ForecastModel.FromStateDict(json, inputWindow, horizon, quantiles));
        Assert.DoesNotContain("(Parameter", e.Message);
        Assert.DoesNotContain("Actual value", e.Message);
        return (StateDictErrors.KeyOf(e), StateDictErrors.ArgumentOf(e), e.Message);
    }

    [Fact]
    public void Settings_that_disagree_with_the_network_are_filed_under_the_setting_at_fault()
    {
        // One input feature, a head of one output: horizon 1 without quantiles, as the OpenAPI example's plain state_dict.
        var exported = JsonNode.Parse(new ForecastModel(LstmNetwork.Create(new LstmConfig(1, 4, 1, 1), 5, forgetBiasOne: true), 8, 1, [], ScalingMode.WindowLevel)
            .ToStateDictJson())!.AsObject();
        string With(string setting, JsonNode value)
        {
            var doc = exported.DeepClone().AsObject();
            doc[ForecastModel.StateForecastKey]![setting] = value;
            return doc.ToJsonString();
        }

        // A covariate the network does not read: the covariates are at fault, not the horizon.
        var covariates = ImportError(With("covariates", new JsonArray("price")));
        Assert.Equal("_forecast.covariates", covariates.Key);
        Assert.Contains("lists 1 covariate(s) (price), so the network would read 2 input features per step", covariates.Message);
        Assert.Contains("tensor 'lstm.weight_ih_l0' takes 1", covariates.Message);

        // Quantiles the head has no outputs for, given beside a plain state_dict or inside the export.
        var plain = exported.DeepClone().AsObject();
        plain.Remove(ForecastModel.StateForecastKey);
        var beside = ImportError(plain.ToJsonString(), 8, 1, [0.5f]);
        Assert.Equal((null, "quantiles"), (beside.Key, beside.Argument));
        Assert.Contains("1 quantile level(s) need a head of 1 x (1 + 1) = 2 outputs, but head.weight has 1, which fits 0 quantile level(s)", beside.Message);
        Assert.Equal("_forecast.quantiles", ImportError(With("quantiles", new JsonArray(0.5))).Key);

        // A head that holds the horizon given whole, with another number of quantiles: the quantiles' error, naming the other
        // reading too (3 outputs are horizon 3 without quantiles or horizon 1 with two). It had been the horizon's.
        var threeSteps = JsonNode.Parse(new ForecastModel(LstmNetwork.Create(new LstmConfig(1, 4, 1, 3), 5), 8, 3, [], ScalingMode.WindowLevel).ToStateDictJson())!.AsObject();
        threeSteps.Remove(ForecastModel.StateForecastKey);
        var twoLevels = ImportError(threeSteps.ToJsonString(), 8, 3, [0.1f, 0.9f]);
        Assert.Equal((null, "quantiles"), (twoLevels.Key, twoLevels.Argument));
        Assert.Contains("2 quantile level(s) need a head of 3 x (1 + 2) = 9 outputs, but head.weight has 3, which fits 0 quantile level(s) (or horizon 1 with these 2)", twoLevels.Message);

        // A horizon the head cannot hold whole stays the horizon's error; a recursive strategy on a direct head is the strategy's.
        var horizon = ImportError(plain.ToJsonString(), 8, 3);
        Assert.Equal((null, "horizon"), (horizon.Key, horizon.Argument));
        var direct = JsonNode.Parse(new ForecastModel(LstmNetwork.Create(new LstmConfig(1, 4, 1, 2), 5), 8, 2, [], ScalingMode.WindowLevel).ToStateDictJson())!.AsObject();
        direct[ForecastModel.StateForecastKey]!["strategy"] = "recursive";
        var strategy = ImportError(direct.ToJsonString());
        Assert.Equal("_forecast.strategy", strategy.Key);
        Assert.Contains("as a direct model's of horizon 2 does", strategy.Message);
    }

    [Fact]
    public void A_covariate_model_without_its_known_in_advance_covariates_names_them()
    {
        var (model, _) = CovariateModel();
        var doc = JsonNode.Parse(model.ToStateDictJson())!.AsObject();
        doc[ForecastModel.StateForecastKey]!["futureCovariates"] = new JsonArray();
        var error = ImportError(doc.ToJsonString());
        Assert.Equal("_forecast.futureCovariates", error.Key);
        Assert.Contains("takes 4, one more, as a network reading covariates known in advance does", error.Message);
    }

    [Fact]
    public void Bad_statistics_are_filed_under_their_path_inside_the_statistics()
    {
        var (model, _) = CovariateModel();
        var exported = JsonNode.Parse(model.ToStateDictJson())!.AsObject();
        // As many lags as coefficients, the first of them not positive.
        var lags = exported[ForecastModel.StateForecastKey]!["statistics"]!["autoregression"]!["lags"]!.DeepClone().AsArray();
        lags[0] = 0;
        foreach (var (path, value, expected) in new (string, JsonNode, string)[]
        {
            ("smoothing.alpha", 5, "alpha must lie in (0, 1]"),
            ("smoothing.phi", 0, "phi must lie in (0, 1]"),
            ("theta.alpha", -1, "must be in (0, 1]"),
            ("intervalSpread", -1, "The interval spread floor is a finite number, at least 0."),
            ("autoregression.lags", lags, "Lags must be positive and increasing."),
            ("autoregression.coefficients", new JsonArray(), "One coefficient per lag."),
            ("weights", new JsonArray(1, 1, 1, 1), "non-negative numbers summing to 1"),
            ("smoothing.alpha", "x", "does not hold the kind of value the export writes there"),
        })
        {
            var doc = exported.DeepClone().AsObject();
            var parts = path.Split('.');
            var parent = doc[ForecastModel.StateForecastKey]!["statistics"]!;
            foreach (var part in parts[..^1]) parent = parent[part]!;
            parent[parts[^1]] = value;
            var error = ImportError(doc.ToJsonString());
            Assert.Equal($"_forecast.statistics.{path}", error.Key);
            Assert.Contains(expected, error.Message);
            Assert.DoesNotContain("System.", error.Message);
        }
    }
}
