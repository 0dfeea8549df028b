using System.Globalization;
using System.Text.Json;
using LstmService.Kernels;

namespace LstmService.Forecasting.Classification;

// The binary weights format (the kernels' ModelSerializer) and the state_dict JSON, the classifier's settings beside the network.
public sealed partial class SequenceClassifier
{
    const string KeyTask = "task", KeyClasses = "classification.classes", KeyCovariates = "classification.covariates",
        KeyMeans = "classification.featureMeans", KeyScales = "classification.featureScales", KeyCell = "classification.cell";

    /// <summary>The state_dict key (not a tensor) holding the classes, covariates and feature statistics.</summary>
    public const string StateClassificationKey = "_classification";

    /// <summary>
    /// Writes the kernels' binary format (magic, shapes, SHA-256, float32 weights); the header's metadata says
    /// task=classification and holds the class names, covariates and feature statistics.
    /// </summary>
    public void Save(Stream stream) => ModelSerializer.Write(stream, Network, new Dictionary<string, string>
    {
        [KeyTask] = "classification",
        [KeyCell] = RecurrentConfig.Name(Cell),
        [KeyClasses] = JsonSerializer.Serialize(_classes),
        [KeyCovariates] = JsonSerializer.Serialize(_covariates),
        [KeyMeans] = string.Join(",", _means.Select(ModelSerializer.Format)),
        [KeyScales] = string.Join(",", _scales.Select(ModelSerializer.Format)),
    });

    /// <summary>Reads what <see cref="Save"/> wrote; any other weights file (a forecaster's) throws <see cref="InvalidDataException"/>.</summary>
    public static SequenceClassifier Load(Stream stream)
    {
        var network = ModelSerializer.ReadNetwork(stream, out var meta);
        if (!meta.TryGetValue(KeyTask, out var task) || task != "classification")
            throw new InvalidDataException("The weights file is not a classification model's.");
        try
        {
            var classes = JsonSerializer.Deserialize<string[]>(meta[KeyClasses]) ?? [];
            var covariates = JsonSerializer.Deserialize<string[]>(meta[KeyCovariates]) ?? [];
            return new SequenceClassifier(network, classes, covariates, ParseFloats(meta[KeyMeans]), ParseFloats(meta[KeyScales]));
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or ArgumentException or OverflowException or JsonException)
        {
            throw new InvalidDataException($"Weights file lacks valid classification settings: {e.Message}");
        }
    }

    static float[] ParseFloats(string text) =>
        text.Split(',').Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>
    /// The weights as PyTorch state_dict-shaped JSON: an nn.LSTM's lstm.* (or an nn.GRU's gru.*) tensors and an nn.Linear
    /// head (head.weight [K, H], head.bias [K]) on the last hidden state, plus "_classification": {"cell": ..., "classes":
    /// [...], "covariates": [...], "featureMeans": [...], "featureScales": [...]}: standardise each feature, run the
    /// recurrent layers, softmax the head's output.
    /// </summary>
    public string ToStateDictJson()
    {
        using var ms = new MemoryStream();
        WriteStateDictJsonAsync(ms).GetAwaiter().GetResult(); // synchronous over a MemoryStream
        return System.Text.Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
    }

    /// <summary><see cref="ToStateDictJson"/> written to <paramref name="output"/> as UTF-8 as it is made (see <see cref="ModelSerializer.WriteTensorAsync"/>).</summary>
    public async Task WriteStateDictJsonAsync(Stream output, CancellationToken cancellationToken = default)
    {
        await using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        await ModelSerializer.WriteStateDictTensorsAsync(w, Network, cancellationToken);
        w.WriteStartObject(StateClassificationKey);
        w.WriteString("cell", RecurrentConfig.Name(Cell));
        foreach (var (name, values) in new[] { ("classes", _classes), ("covariates", _covariates) })
        {
            w.WriteStartArray(name);
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
        foreach (var (name, values) in new[] { ("featureMeans", _means), ("featureScales", _scales) })
        {
            w.WriteStartArray(name);
            foreach (var v in values) w.WriteNumberValue(v);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        await w.FlushAsync(cancellationToken);
    }
}
