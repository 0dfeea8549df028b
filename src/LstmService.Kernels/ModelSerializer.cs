using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LstmService.Kernels;

/// <summary>
/// The library's two weight formats, for either cell.
/// Binary: magic "LSTMKRNL", format version, (version 2: the cell, 0 LSTM or 1 GRU), shapes, string metadata, parameter
/// count, SHA-256, then the parameters as little-endian float32 in the network's tensor order. The hash covers the header
/// and the payload, so a truncated or altered file is rejected with <see cref="InvalidDataException"/>. An LSTM is written
/// as version 1, byte for byte what builds before the GRU wrote (so their files and content hashes do not change, and an
/// older build still reads a newer LSTM file); a GRU as version 2.
/// JSON: shaped like a PyTorch state_dict, {"lstm.weight_ih_l0": {"shape": [...], "data": [...]}, ...} or "gru.*" for a GRU.
/// </summary>
public static class ModelSerializer
{
    /// <summary>The newest binary format version this build writes (a GRU) and reads.</summary>
    public const int FormatVersion = 2;
    /// <summary>The version without a cell field: every file is an LSTM.</summary>
    const int LstmOnlyVersion = 1;
    static ReadOnlySpan<byte> Magic => "LSTMKRNL"u8;
    const int MaxMetadataBytes = 1 << 20;

    /// <summary>Writes the binary form of <paramref name="network"/> with optional string <paramref name="metadata"/>.</summary>
    public static void Write(Stream stream, IRecurrentNetwork network, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new MemoryStream();
        using (var w = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            var c = network.Config;
            if (c.Cell == RecurrentCell.Lstm) w.Write(LstmOnlyVersion);
            else { w.Write(FormatVersion); w.Write((int)c.Cell); }
            w.Write(c.InputSize); w.Write(c.HiddenSize); w.Write(c.Layers); w.Write(c.OutputSize);
            w.Write(c.Peepholes); w.Write(c.Dropout);
            var entries = metadata ?? new Dictionary<string, string>();
            w.Write(entries.Count);
            foreach (var (k, v) in entries.OrderBy(e => e.Key, StringComparer.Ordinal)) { w.Write(k); w.Write(v); }
            w.Write((long)network.Parameters.Length);
        }
        var payload = new byte[network.Parameters.Length * sizeof(float)];
        for (int i = 0; i < network.Parameters.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(i * 4), network.Parameters[i]);
        var headerBytes = header.ToArray();
        stream.Write(headerBytes);
        stream.Write(Hash(headerBytes, payload));
        stream.Write(payload);
    }

    /// <summary>Reads the binary form of an LSTM; throws <see cref="InvalidDataException"/> saying what is wrong with a bad stream (a GRU's too).</summary>
    public static LstmNetwork Read(Stream stream, out IReadOnlyDictionary<string, string> metadata) =>
        ReadNetwork(stream, out metadata) as LstmNetwork ?? throw new InvalidDataException("The weights file holds a GRU, not an LSTM.");

    /// <summary>Reads the binary form of either cell; throws <see cref="InvalidDataException"/> saying what is wrong with a bad stream.</summary>
    public static IRecurrentNetwork ReadNetwork(Stream stream, out IReadOnlyDictionary<string, string> metadata)
    {
        var all = new MemoryStream();
        stream.CopyTo(all);
        var bytes = all.GetBuffer().AsSpan(0, (int)all.Length);
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new InvalidDataException("Not an LstmService weights file (bad magic).");
        var reader = new BinaryReader(new MemoryStream(bytes.ToArray()), Encoding.UTF8);
        RecurrentConfig config;
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        long count;
        int headerLength;
        try
        {
            reader.ReadBytes(Magic.Length);
            int version = reader.ReadInt32();
            if (version is < LstmOnlyVersion or > FormatVersion)
                throw new InvalidDataException($"Unsupported weights format version {version} (this build reads {LstmOnlyVersion} to {FormatVersion}).");
            var cell = version == LstmOnlyVersion ? RecurrentCell.Lstm : (RecurrentCell)reader.ReadInt32();
            if (!Enum.IsDefined(cell)) throw new InvalidDataException($"Weights file header is corrupt (cell {(int)cell}).");
            config = new RecurrentConfig(cell, reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadBoolean(), reader.ReadSingle());
            int entries = reader.ReadInt32();
            if (entries is < 0 or > 4096) throw new InvalidDataException("Weights file header is corrupt (metadata count).");
            for (int i = 0; i < entries; i++) meta[reader.ReadString()] = reader.ReadString();
            count = reader.ReadInt64();
            headerLength = (int)reader.BaseStream.Position;
        }
        catch (EndOfStreamException) { throw new InvalidDataException("Weights file is truncated (header)."); }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            // A corrupted string length or encoding inside the header: the hash check would fail too, but cannot be reached.
            throw new InvalidDataException($"Weights file header is corrupt: {e.Message}");
        }
        if (headerLength > MaxMetadataBytes) throw new InvalidDataException("Weights file header is too large.");
        try { config.Validate(); }
        catch (ArgumentOutOfRangeException e) { throw new InvalidDataException($"Weights file header is corrupt: {e.Message}"); }
        var network = config.CreateEmpty();
        if (count != network.Parameters.Length)
            throw new InvalidDataException($"Weights file holds {count} parameters but its shapes need {network.Parameters.Length}.");
        long expected = headerLength + 32 + count * sizeof(float);
        if (bytes.Length < expected) throw new InvalidDataException($"Weights file is truncated: {bytes.Length} bytes, expected {expected}.");
        if (bytes.Length > expected) throw new InvalidDataException($"Weights file has {bytes.Length - expected} unexpected trailing bytes.");
        var storedHash = bytes.Slice(headerLength, 32);
        var payload = bytes.Slice(headerLength + 32);
        if (!storedHash.SequenceEqual(Hash(bytes[..headerLength], payload)))
            throw new InvalidDataException("Weights file is corrupt: SHA-256 of its contents does not match its header.");
        for (int i = 0; i < network.Parameters.Length; i++)
        {
            float v = BinaryPrimitives.ReadSingleLittleEndian(payload.Slice(i * 4));
            // Training never stores a diverged network, so a NaN or infinity here was written by something else; refusing it
            // keeps "the weights are finite" true for every loaded model, and a non-finite forecast then points at its input.
            if (!float.IsFinite(v)) throw new InvalidDataException($"Weights file holds a parameter that is not a finite number (index {i}).");
            network.Parameters[i] = v;
        }
        network.ParametersChanged();
        metadata = meta;
        return network;
    }

    static byte[] Hash(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(header);
        sha.AppendData(payload);
        return sha.GetHashAndReset();
    }

    /// <summary>Writes the parameters as state_dict-shaped JSON (floats in shortest round-trip form, so the export is lossless).</summary>
    public static void WriteStateDict(Stream stream, IRecurrentNetwork network)
    {
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        // Completes synchronously unless the stream's own writes are asynchronous.
        WriteStateDictTensorsAsync(w, network).AsTask().GetAwaiter().GetResult();
        w.WriteEndObject();
    }

    /// <summary>
    /// A tensor's "data" into <paramref name="destination"/>: its values flat in row-major order, or, for a 2-D tensor, one
    /// array per row as PyTorch's <c>tensor.tolist()</c> gives them. Throws <see cref="InvalidDataException"/> naming the
    /// tensor and the value (or row) that does not fit.
    /// </summary>
    /// <param name="shapeSource">Appended to a length or row mismatch: what set the shape, when the document did not declare it.</param>
    public static void ReadTensorData(string name, JsonElement data, IReadOnlyList<int> shape, Span<float> destination, string? shapeSource = null)
    {
        var source = shapeSource is null ? "" : $" ({shapeSource})";
        bool nested = shape.Count == 2 && data.GetArrayLength() > 0 && data[0].ValueKind == JsonValueKind.Array;
        int length = nested ? data.EnumerateArray().Sum(r => r.ValueKind == JsonValueKind.Array ? r.GetArrayLength() : 1) : data.GetArrayLength();
        if (nested && (data.GetArrayLength() != shape[0] || data.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.Array || r.GetArrayLength() != shape[1])))
            throw StateDictErrors.At($"{name}.data", $"Tensor '{name}' holds rows that do not match its shape [{shape[0]}, {shape[1]}]: {shape[0]} rows of {shape[1]} values, or {destination.Length} values flat{source}.");
        if (length != destination.Length) throw StateDictErrors.At($"{name}.data", $"Tensor '{name}' holds {length} values, its shape needs {destination.Length}{source}.");
        int i = 0;
        foreach (var e in nested ? data.EnumerateArray().SelectMany(r => r.EnumerateArray()) : data.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetSingle(out var v) || !float.IsFinite(v))
                throw StateDictErrors.At($"{name}.data", $"Tensor '{name}' value {i} is not a finite number" + (e.ValueKind == JsonValueKind.Number ? "." : $": it is a JSON {e.ValueKind.ToString().ToLowerInvariant()}."));
            destination[i++] = v;
        }
    }

    /// <summary>JSON bytes a state_dict writer holds at most before it writes them out (<see cref="WriteTensorAsync"/>).</summary>
    public const int StateDictFlushBytes = 1 << 16;

    /// <summary>The network's tensors as properties of the object <paramref name="w"/> is in, each as <see cref="WriteTensorAsync"/> writes it.</summary>
    public static async ValueTask WriteStateDictTensorsAsync(Utf8JsonWriter w, IRecurrentNetwork network, CancellationToken cancellationToken = default)
    {
        foreach (var t in network.Tensors)
            await WriteTensorAsync(w, t.Name, new ArraySegment<float>(network.Parameters, t.Offset, t.Length), t.Shape, cancellationToken);
    }

    /// <summary>
    /// One tensor, <c>"name": {"shape": [...], "data": [...]}</c>, flushed to the writer's stream every
    /// <see cref="StateDictFlushBytes"/>: a network of millions of parameters goes out as it is written (an HTTP response
    /// streams it) instead of being held as tens of megabytes of JSON.
    /// </summary>
    public static async ValueTask WriteTensorAsync(Utf8JsonWriter w, string name, ArraySegment<float> data, IReadOnlyList<int> shape, CancellationToken cancellationToken = default)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("shape");
        foreach (var d in shape) w.WriteNumberValue(d);
        w.WriteEndArray();
        w.WriteStartArray("data");
        for (int i = 0; i < data.Count; i++)
        {
            w.WriteNumberValue(data[i]);
            if (w.BytesPending >= StateDictFlushBytes) await w.FlushAsync(cancellationToken);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// The hidden size that most of the first layer's shapes tell (weight_ih's and weight_hh's rows over the gates, weight_hh's
    /// columns; the columns on a tie), so that one edited tensor is the one named: read from weight_hh's columns alone, a
    /// weight_hh of [24, 9] in a GRU of 8 units blamed the untouched weight_ih for not being [27, 1].
    /// </summary>
    static int HiddenSize(RecurrentCell cell, int[] wih, int[] whh)
    {
        int gates = cell == RecurrentCell.Gru ? 3 : 4;
        var votes = new List<int> { whh[1] };
        if (wih[0] % gates == 0) votes.Add(wih[0] / gates);
        if (whh[0] % gates == 0) votes.Add(whh[0] / gates);
        return votes.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key == whh[1] ? 0 : 1).First().Key;
    }

    /// <summary>
    /// Reads state_dict-shaped JSON of an LSTM (tensors lstm.* and head.*, shapes inferred from them; other keys are ignored);
    /// throws <see cref="InvalidDataException"/> naming the missing or misshapen tensor.
    /// </summary>
    public static LstmNetwork ReadStateDict(string json) =>
        ReadStateDictNetwork(json) as LstmNetwork ?? throw new InvalidDataException("The state dict holds a GRU (gru.* tensors), not an LSTM.");

    /// <summary>
    /// The cell a state_dict holds: GRU when it has gru.weight_ih_l0 and no lstm.weight_ih_l0, else LSTM (whose tensors are
    /// then required). A document with both is refused: which network it means is ambiguous.
    /// </summary>
    public static RecurrentCell StateDictCell(JsonElement root)
    {
        bool lstm = root.ValueKind == JsonValueKind.Object && root.TryGetProperty(ParameterLayout.WeightIh(0), out _);
        bool gru = root.ValueKind == JsonValueKind.Object && root.TryGetProperty(GruParameterLayout.WeightIh(0), out _);
        if (lstm && gru) throw new InvalidDataException($"State dict holds both '{ParameterLayout.WeightIh(0)}' and '{GruParameterLayout.WeightIh(0)}': one network is either an LSTM or a GRU.");
        return gru ? RecurrentCell.Gru : RecurrentCell.Lstm;
    }

    /// <summary>
    /// Reads state_dict-shaped JSON of either cell (torch.nn.LSTM tensors lstm.*, or torch.nn.GRU tensors gru.*, and head.*;
    /// shapes inferred from them; other keys are ignored); throws <see cref="InvalidDataException"/> naming the missing or
    /// misshapen tensor.
    /// </summary>
    public static IRecurrentNetwork ReadStateDictNetwork(string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"State dict is not valid JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException("State dict must be a JSON object of tensors.");
            var cell = StateDictCell(root);
            var names = new RecurrentConfig(cell, 1, 1);
            int[] Shape(string name)
            {
                if (!root.TryGetProperty(name, out var t)) throw StateDictErrors.At(name, $"State dict has no tensor '{name}'.");
                if (t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("shape", out var s) || s.ValueKind != JsonValueKind.Array)
                    throw StateDictErrors.At($"{name}.shape", $"Tensor '{name}' needs a \"shape\" array.");
                try { return s.EnumerateArray().Select(e => e.GetInt32()).ToArray(); }
                catch (Exception e) when (e is FormatException or InvalidOperationException) { throw StateDictErrors.At($"{name}.shape", $"Tensor '{name}' has a non-integer shape."); }
            }
            int layers = 0;
            while (root.TryGetProperty(names.WeightIh(layers), out _)) layers++;
            if (layers == 0) throw new InvalidDataException($"State dict has no tensor '{names.WeightIh(0)}'.");
            var wih = Shape(names.WeightIh(0));
            var whh = Shape(names.WeightHh(0));
            var head = Shape(ParameterLayout.HeadWeight);
            if (wih.Length != 2 || whh.Length != 2 || head.Length != 2) throw new InvalidDataException("weight_ih, weight_hh and head.weight must be 2-D.");
            bool peepholes = cell == RecurrentCell.Lstm && root.TryGetProperty(ParameterLayout.Peephole(0), out _);
            RecurrentConfig config;
            try
            {
                config = new RecurrentConfig(cell, wih[1], HiddenSize(cell, wih, whh), layers, head[0], peepholes);
                config.Validate();
            }
            catch (ArgumentOutOfRangeException e) { throw new InvalidDataException($"State dict shapes are out of range: {e.Message}"); }
            var network = config.CreateEmpty();
            foreach (var t in network.Tensors)
            {
                var shape = Shape(t.Name);
                if (!shape.SequenceEqual(t.Shape))
                    throw StateDictErrors.At($"{t.Name}.shape", $"Tensor '{t.Name}' has shape [{string.Join(", ", shape)}], expected [{string.Join(", ", t.Shape)}].");
                var data = root.GetProperty(t.Name).TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Array
                    ? d : throw StateDictErrors.At($"{t.Name}.data", $"Tensor '{t.Name}' needs a \"data\" array.");
                ReadTensorData(t.Name, data, t.Shape, network.Parameters.AsSpan(t.Offset, t.Length));
            }
            network.ParametersChanged();
            return network;
        }
    }

    /// <summary>Formats a float for metadata so it reads back exactly.</summary>
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
