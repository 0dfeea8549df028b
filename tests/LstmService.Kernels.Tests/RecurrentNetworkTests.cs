using System.Security.Cryptography;
using System.Text.Json;

namespace LstmService.Kernels.Tests;

/// <summary>The cell-agnostic surface (<see cref="IRecurrentNetwork"/>, <see cref="RecurrentConfig"/>) and both cells through the serializer.</summary>
public class RecurrentNetworkTests
{
    static GruNetwork Gru() => GruNetwork.Create(new GruConfig(3, 7, Layers: 2, OutputSize: 4, Dropout: 0.25f), seed: 11);

    static byte[] Binary(IRecurrentNetwork net, IReadOnlyDictionary<string, string>? meta = null)
    {
        var ms = new MemoryStream();
        ModelSerializer.Write(ms, net, meta);
        return ms.ToArray();
    }

    [Fact]
    public void An_lstm_is_written_byte_for_byte_as_before_the_gru_existed()
    {
        // SHA-256 of this network's file as the build before the GRU wrote it (format version 1): stored LSTM versions keep
        // their content hash, and a build that reads version 1 only still reads a new LSTM file.
        var net = LstmNetwork.Create(new LstmConfig(3, 7, Layers: 2, OutputSize: 4, Peepholes: true, Dropout: 0.25f), seed: 11);
        var bytes = Binary(net, new Dictionary<string, string> { ["forecast.horizon"] = "12" });
        Assert.Equal(3529, bytes.Length);
        Assert.Equal("0DFD446DE384D8E8F0F75911B7D070E9C5B1439533AB33BD60725046A5CD497C", Convert.ToHexString(SHA256.HashData(bytes)));
        Assert.Equal(1, BitConverter.ToInt32(bytes, 8));
        var back = ModelSerializer.ReadNetwork(new MemoryStream(bytes), out _);
        Assert.IsType<LstmNetwork>(back);
        Assert.Equal(net.Parameters, back.Parameters);
    }

    [Fact]
    public void A_gru_round_trips_through_the_binary_format_as_version_2()
    {
        var net = Gru();
        var bytes = Binary(net, new Dictionary<string, string> { ["forecast.horizon"] = "12" });
        Assert.Equal(2, BitConverter.ToInt32(bytes, 8));
        Assert.Equal((int)RecurrentCell.Gru, BitConverter.ToInt32(bytes, 12));
        var back = ModelSerializer.ReadNetwork(new MemoryStream(bytes), out var meta);
        var gru = Assert.IsType<GruNetwork>(back);
        Assert.Equal(net.Config, gru.Config);
        Assert.Equal(net.Parameters, gru.Parameters);
        Assert.Equal("12", meta["forecast.horizon"]);
        // The LSTM-only reader says what the file holds instead of misreading it.
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.Read(new MemoryStream(bytes), out _));
        Assert.Contains("GRU", e.Message);
    }

    [Fact]
    public void A_corrupt_cell_or_a_flipped_bit_in_a_gru_file_is_rejected()
    {
        var bytes = Binary(Gru());
        var badCell = (byte[])bytes.Clone();
        badCell[12] = 7;
        Assert.Contains("cell", Assert.Throws<InvalidDataException>(() => ModelSerializer.ReadNetwork(new MemoryStream(badCell), out _)).Message);
        foreach (var pos in new[] { 13, 20, 30, bytes.Length / 2, bytes.Length - 1 })
        {
            var altered = (byte[])bytes.Clone();
            altered[pos] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => ModelSerializer.ReadNetwork(new MemoryStream(altered), out _));
        }
    }

    [Fact]
    public void A_gru_state_dict_uses_torch_gru_names_and_shapes_and_round_trips()
    {
        var net = Gru();
        var ms = new MemoryStream();
        ModelSerializer.WriteStateDict(ms, net);
        var json = System.Text.Encoding.UTF8.GetString(ms.ToArray());
        using (var doc = JsonDocument.Parse(json))
        {
            var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(["gru.weight_ih_l0", "gru.weight_hh_l0", "gru.bias_ih_l0", "gru.bias_hh_l0",
                "gru.weight_ih_l1", "gru.weight_hh_l1", "gru.bias_ih_l1", "gru.bias_hh_l1", "head.weight", "head.bias"], names);
            Assert.Equal([21, 3], doc.RootElement.GetProperty("gru.weight_ih_l0").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal([21, 7], doc.RootElement.GetProperty("gru.weight_hh_l1").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        }
        var back = Assert.IsType<GruNetwork>(ModelSerializer.ReadStateDictNetwork(json));
        Assert.Equal(net.Config with { Dropout = 0 }, back.Config);
        Assert.Equal(net.Parameters, back.Parameters);
        Assert.Contains("GRU", Assert.Throws<InvalidDataException>(() => ModelSerializer.ReadStateDict(json)).Message);
    }

    [Fact]
    public void A_state_dict_with_both_cells_tensors_is_refused()
    {
        var lstm = new MemoryStream();
        ModelSerializer.WriteStateDict(lstm, LstmNetwork.Create(new LstmConfig(1, 2), 1));
        var gru = new MemoryStream();
        ModelSerializer.WriteStateDict(gru, GruNetwork.Create(new GruConfig(1, 2), 1));
        var both = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(lstm.ToArray())!;
        foreach (var (k, v) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(gru.ToArray())!) both.TryAdd(k, v);
        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.ReadStateDictNetwork(JsonSerializer.Serialize(both)));
        Assert.Contains("lstm.weight_ih_l0", e.Message);
        Assert.Contains("gru.weight_ih_l0", e.Message);
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm)]
    [InlineData(RecurrentCell.Gru)]
    public void The_interface_runs_either_cell_like_its_concrete_type(RecurrentCell cell)
    {
        var config = new RecurrentConfig(cell, 2, 6, Layers: 2, OutputSize: 3);
        Assert.Equal(config.ParameterCount(), config.CreateEmpty().Parameters.Length);
        var net = config.Create(seed: 4);
        Assert.Equal(config, net.Config);
        var clone = net.Clone();
        Assert.Equal(net.Parameters, clone.Parameters);
        const int b = 3, t = 5;
        var rng = new SeededRandom(8);
        var x = Enumerable.Range(0, b * t * 2).Select(_ => rng.NextUniform(-1, 1)).ToArray();
        // Through the interface: forward, infer and backward give what the concrete workspaces give.
        var ws = net.CreateWorkspace();
        ws.Forward(x, b, t, training: false, dropoutSeed: 0);
        var forward = ws.Output.ToArray();
        ws.Backward(Enumerable.Repeat(1f, b * 3).ToArray());
        var gradients = net.Gradients.ToArray();
        ws.Infer(x, b, t);
        Assert.Equal(forward, ws.Output.ToArray());
        float[] concreteOut, concreteGrad;
        if (clone is LstmNetwork l)
        {
            var cws = l.CreateWorkspace(); cws.Forward(x, b, t); concreteOut = cws.Output.ToArray();
            cws.Backward(Enumerable.Repeat(1f, b * 3).ToArray()); concreteGrad = l.Gradients.ToArray();
        }
        else
        {
            var g = (GruNetwork)clone;
            var cws = g.CreateWorkspace(); cws.Forward(x, b, t); concreteOut = cws.Output.ToArray();
            cws.Backward(Enumerable.Repeat(1f, b * 3).ToArray()); concreteGrad = g.Gradients.ToArray();
        }
        Assert.Equal(concreteOut, forward);
        Assert.Equal(concreteGrad, gradients);
        Assert.Contains(gradients, g => g != 0);
    }

    [Fact]
    public void A_gru_shape_refuses_peepholes_and_counts_three_gates()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecurrentConfig(RecurrentCell.Gru, 1, 4, Peepholes: true).Validate());
        var lstm = new RecurrentConfig(RecurrentCell.Lstm, 1, 4, OutputSize: 2).ParameterCount();
        var gru = new RecurrentConfig(RecurrentCell.Gru, 1, 4, OutputSize: 2).ParameterCount();
        Assert.Equal(4 * 4 * (1 + 4) + 8 * 4 + 2 * 4 + 2, lstm);
        Assert.Equal(3 * 4 * (1 + 4) + 6 * 4 + 2 * 4 + 2, gru);
        Assert.False(GruNetwork.Create(new GruConfig(1, 4), 1).HasGradients); // allocated on first use, as the LSTM's
    }
}
