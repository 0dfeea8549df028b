using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LstmService.Kernels;

/// <summary>
/// The library's two weight formats.
/// Binary: magic "LSTMKRNL", format version, shapes, string metadata, parameter count, SHA-256, then the
/// parameters as little-endian float32 in <see cref="ParameterLayout"/> order. The hash covers the header
/// and the payload, so a truncated or altered file is rejected with <see cref="InvalidDataException"/>.
/// JSON: shaped like a PyTorch state_dict, {"lstm.weight_ih_l0": {"shape": [...], "data": [...]}, ...}.
/// </summary>
public static class ModelSerializer
{
    public const int FormatVersion = 1;
    static ReadOnlySpan<byte> Magic => "LSTMKRNL"u8;
    const int MaxMetadataBytes = 1 << 20;

    /// <summary>Writes the binary form of <paramref name="network"/> with optional string <paramref name="metadata"/>.</summary>
    public static void Write(Stream stream, LstmNetwork network, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new MemoryStream();
        using (var w = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            var c = network.Config;
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

    /// <summary>Reads the binary form; throws <see cref="InvalidDataException"/> saying what is wrong with a bad stream.</summary>
    public static LstmNetwork Read(Stream stream, out IReadOnlyDictionary<string, string> metadata)
    {
        var all = new MemoryStream();
        stream.CopyTo(all);
        var bytes = all.GetBuffer().AsSpan(0, (int)all.Length);
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new InvalidDataException("Not an LstmService weights file (bad magic).");
        var reader = new BinaryReader(new MemoryStream(bytes.ToArray()), Encoding.UTF8);
        LstmConfig config;
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        long count;
        int headerLength;
        try
        {
            reader.ReadBytes(Magic.Length);
            int version = reader.ReadInt32();
            if (version != FormatVersion) throw new InvalidDataException($"Unsupported weights format version {version} (this build reads {FormatVersion}).");
            config = new LstmConfig(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadBoolean(), reader.ReadSingle());
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
        var network = new LstmNetwork(config);
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
            network.Parameters[i] = BinaryPrimitives.ReadSingleLittleEndian(payload.Slice(i * 4));
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
    public static void WriteStateDict(Stream stream, LstmNetwork network)
    {
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        foreach (var t in network.Layout.Tensors)
        {
            w.WriteStartObject(t.Name);
            w.WriteStartArray("shape");
            foreach (var d in t.Shape) w.WriteNumberValue(d);
            w.WriteEndArray();
            w.WriteStartArray("data");
            foreach (var v in network.Parameters.AsSpan(t.Offset, t.Length)) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// Reads state_dict-shaped JSON (tensors lstm.* and head.*, shapes inferred from them; other keys are ignored);
    /// throws <see cref="InvalidDataException"/> naming the missing or misshapen tensor.
    /// </summary>
    public static LstmNetwork ReadStateDict(string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"State dict is not valid JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException("State dict must be a JSON object of tensors.");
            int[] Shape(string name)
            {
                if (!root.TryGetProperty(name, out var t)) throw new InvalidDataException($"State dict has no tensor '{name}'.");
                if (t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("shape", out var s) || s.ValueKind != JsonValueKind.Array)
                    throw new InvalidDataException($"Tensor '{name}' needs a \"shape\" array.");
                try { return s.EnumerateArray().Select(e => e.GetInt32()).ToArray(); }
                catch (Exception e) when (e is FormatException or InvalidOperationException) { throw new InvalidDataException($"Tensor '{name}' has a non-integer shape."); }
            }
            int layers = 0;
            while (root.TryGetProperty(ParameterLayout.WeightIh(layers), out _)) layers++;
            if (layers == 0) throw new InvalidDataException($"State dict has no tensor '{ParameterLayout.WeightIh(0)}'.");
            var wih = Shape(ParameterLayout.WeightIh(0));
            var whh = Shape(ParameterLayout.WeightHh(0));
            var head = Shape(ParameterLayout.HeadWeight);
            if (wih.Length != 2 || whh.Length != 2 || head.Length != 2) throw new InvalidDataException("weight_ih, weight_hh and head.weight must be 2-D.");
            bool peepholes = root.TryGetProperty(ParameterLayout.Peephole(0), out _);
            LstmConfig config;
            try
            {
                config = new LstmConfig(wih[1], whh[1], layers, head[0], peepholes);
                config.Validate();
            }
            catch (ArgumentOutOfRangeException e) { throw new InvalidDataException($"State dict shapes are out of range: {e.Message}"); }
            var network = new LstmNetwork(config);
            foreach (var t in network.Layout.Tensors)
            {
                var shape = Shape(t.Name);
                if (!shape.SequenceEqual(t.Shape))
                    throw new InvalidDataException($"Tensor '{t.Name}' has shape [{string.Join(", ", shape)}], expected [{string.Join(", ", t.Shape)}].");
                var data = root.GetProperty(t.Name).TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Array
                    ? d : throw new InvalidDataException($"Tensor '{t.Name}' needs a \"data\" array.");
                if (d.GetArrayLength() != t.Length) throw new InvalidDataException($"Tensor '{t.Name}' holds {d.GetArrayLength()} values, its shape needs {t.Length}.");
                var dest = network.Parameters.AsSpan(t.Offset, t.Length);
                int i = 0;
                foreach (var e in data.EnumerateArray())
                {
                    if (e.ValueKind != JsonValueKind.Number || !e.TryGetSingle(out var v) || !float.IsFinite(v))
                        throw new InvalidDataException($"Tensor '{t.Name}' value {i} is not a finite number.");
                    dest[i++] = v;
                }
            }
            network.ParametersChanged();
            return network;
        }
    }

    /// <summary>Formats a float for metadata so it reads back exactly.</summary>
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
