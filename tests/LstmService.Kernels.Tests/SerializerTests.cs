using System.Text.Json;

namespace LstmService.Kernels.Tests;

public class SerializerTests
{
    static LstmNetwork Network(bool peepholes = false) =>
        LstmNetwork.Create(new LstmConfig(3, 7, Layers: 2, OutputSize: 4, Peepholes: peepholes, Dropout: 0.25f), seed: 11);

    static byte[] Binary(LstmNetwork net, IReadOnlyDictionary<string, string>? meta = null)
    {
        var ms = new MemoryStream();
        ModelSerializer.Write(ms, net, meta);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Binary_round_trip_is_bit_exact_with_shapes_and_metadata(bool peepholes)
    {
        var net = Network(peepholes);
        var bytes = Binary(net, new Dictionary<string, string> { ["forecast.horizon"] = "12", ["note"] = "ü" });
        var back = ModelSerializer.Read(new MemoryStream(bytes), out var meta);
        Assert.Equal(net.Config, back.Config);
        Assert.Equal(net.Parameters, back.Parameters);
        Assert.Equal("12", meta["forecast.horizon"]);
        Assert.Equal("ü", meta["note"]);
        Assert.Equal("LSTMKRNL", System.Text.Encoding.ASCII.GetString(bytes, 0, 8));
    }

    [Fact]
    public void Every_truncation_is_rejected()
    {
        var bytes = Binary(Network());
        foreach (var length in new[] { 0, 4, 8, 20, 40, bytes.Length / 2, bytes.Length - 1 })
        {
            var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(bytes[..length]), out _));
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
    }

    [Fact]
    public void A_flipped_bit_anywhere_after_the_magic_is_rejected()
    {
        var bytes = Binary(Network());
        var rng = new SeededRandom(5);
        // Every header byte, then a sample of payload bytes.
        var positions = Enumerable.Range(8, 60).Concat(Enumerable.Range(0, 40).Select(_ => 68 + rng.NextInt(bytes.Length - 68)));
        foreach (var pos in positions)
        {
            var altered = (byte[])bytes.Clone();
            altered[pos] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(altered), out _));
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_non_finite_parameter_is_rejected_naming_its_index(float bad)
    {
        // Written as is (the writer stores what it is given, with a matching hash): the reader is where it is refused.
        var net = Network();
        net.Parameters[5] = bad;
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(Binary(net)), out _));
        Assert.Contains("index 5", e.Message);
    }

    [Fact]
    public void Bad_magic_and_trailing_bytes_are_rejected_with_clear_messages()
    {
        var bytes = Binary(Network());
        var wrongMagic = (byte[])bytes.Clone();
        wrongMagic[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(wrongMagic), out _)).Message);
        var longer = bytes.Concat(new byte[] { 1, 2, 3 }).ToArray();
        Assert.Contains("trailing", Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(longer), out _)).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void State_dict_round_trip_is_lossless_and_shaped_like_pytorch(bool peepholes)
    {
        var net = Network(peepholes);
        var ms = new MemoryStream();
        ModelSerializer.WriteStateDict(ms, net);
        var json = System.Text.Encoding.UTF8.GetString(ms.ToArray());
        using (var doc = JsonDocument.Parse(json))
        {
            var wih = doc.RootElement.GetProperty("lstm.weight_ih_l0");
            Assert.Equal(new[] { 28, 3 }, wih.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(84, wih.GetProperty("data").GetArrayLength());
            Assert.Equal(new[] { 28, 7 }, doc.RootElement.GetProperty("lstm.weight_ih_l1").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(new[] { 4, 7 }, doc.RootElement.GetProperty("head.weight").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        }
        var back = ModelSerializer.ReadStateDict(json);
        Assert.Equal(net.Config with { Dropout = 0f }, back.Config);
        Assert.Equal(net.Parameters, back.Parameters);
    }

    [Theory]
    [InlineData("not json", "valid JSON")]
    [InlineData("[]", "object")]
    [InlineData("{}", "lstm.weight_ih_l0")]
    public void Bad_state_dicts_name_the_problem(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.ReadStateDict(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_misshapen_or_non_numeric_tensor_is_named()
    {
        var ms = new MemoryStream();
        ModelSerializer.WriteStateDict(ms, Network());
        var node = System.Text.Json.Nodes.JsonNode.Parse(ms.ToArray())!;
        node["lstm.bias_hh_l1"]!["shape"] = new System.Text.Json.Nodes.JsonArray(27);
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.ReadStateDict(node.ToJsonString()));
        Assert.Contains("lstm.bias_hh_l1", e.Message);

        // One edited recurrent weight is the one named, for either cell: the hidden size had been read from weight_hh's
        // columns alone, so a weight_hh of one more column blamed the untouched weight_ih.
        foreach (IRecurrentNetwork net in new IRecurrentNetwork[] { Network(), GruNetwork.Create(new GruConfig(1, 8), 5) })
        {
            var written = new MemoryStream();
            ModelSerializer.WriteStateDict(written, net);
            var edited = System.Text.Json.Nodes.JsonNode.Parse(written.ToArray())!;
            var hh = net is GruNetwork ? "gru.weight_hh_l0" : "lstm.weight_hh_l0";
            int rows = edited[hh]!["shape"]![0]!.GetValue<int>(), columns = edited[hh]!["shape"]![1]!.GetValue<int>();
            edited[hh]!["shape"] = new System.Text.Json.Nodes.JsonArray(rows, columns + 1);
            e = Assert.Throws<InvalidDataException>(() => ModelSerializer.ReadStateDictNetwork(edited.ToJsonString()));
            Assert.Contains($"Tensor '{hh}' has shape [{rows}, {columns + 1}], expected [{rows}, {columns}]", e.Message);
        }

        node = System.Text.Json.Nodes.JsonNode.Parse(ms.ToArray())!;
        node["head.bias"]!["data"]![2] = "x";
        e = Assert.Throws<InvalidDataException>(() => ModelSerializer.ReadStateDict(node.ToJsonString()));
        Assert.Contains("head.bias", e.Message);
    }
}

public sealed class ParameterCountTests
{
    [Fact]
    public void Parameter_count_matches_the_layout_and_is_exact_in_64_bits()
    {
        var config = new LstmConfig(InputSize: 3, HiddenSize: 5, Layers: 2, OutputSize: 4, Peepholes: true);
        Assert.Equal(new ParameterLayout(config).TotalLength, config.ParameterCount());
        // 8 layers of 8192 units: about 4.3 billion, past int.MaxValue; counted exactly, refused by Validate.
        var huge = new LstmConfig(InputSize: 1, HiddenSize: 8192, Layers: 8, OutputSize: 1);
        Assert.True(huge.ParameterCount() > int.MaxValue);
        var e = Assert.Throws<ArgumentOutOfRangeException>(huge.Validate);
        Assert.Contains("parameters", e.Message);
    }

    [Fact]
    public void A_state_dict_declaring_an_overflowing_network_is_refused_as_bad_data()
    {
        var tensors = new List<string>();
        for (var l = 0; l < 8; l++)
            tensors.Add($"\"lstm.weight_ih_l{l}\":{{\"shape\":[32768,{(l == 0 ? 1 : 8192)}],\"data\":[]}},\"lstm.weight_hh_l{l}\":{{\"shape\":[32768,8192],\"data\":[]}}");
        var json = "{" + string.Join(",", tensors) + ",\"head.weight\":{\"shape\":[1,8192],\"data\":[]},\"head.bias\":{\"shape\":[1],\"data\":[]}}";
        Assert.Throws<InvalidDataException>(() => ModelSerializer.ReadStateDict(json));
    }
}
