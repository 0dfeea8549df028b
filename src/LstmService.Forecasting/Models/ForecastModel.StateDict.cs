using System.Globalization;

using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

// PyTorch state_dict-shaped JSON export and import, forecast settings under "_forecast".
public sealed partial class ForecastModel
{
    /// <summary>
    /// The weights as PyTorch state_dict-shaped JSON: {"lstm.weight_ih_l0": {"shape": [...], "data": [...]}, ...} ("gru.*" for a GRU).
    /// An ensemble exports as its merged network (one LSTM with block-diagonal weights whose head averages the members).
    /// With a highway, "highway.weight" [HeadSteps, InputWindow] and "highway.bias" [HeadSteps] hold its composed map (an
    /// nn.Linear on the encoded window whose output is added to each of the 1 + Q head blocks); with calibration,
    /// "calibration" [Q, Horizon] holds the offsets added to the quantile blocks. The non-tensor key "_forecast" holds the
    /// forecast settings (see <see cref="StateForecastKey"/>), so the document registers back on its own; PyTorch's
    /// load_state_dict needs the tensors only (drop the keys starting with "_").
    /// </summary>
    public string ToStateDictJson()
    {
        using var ms = new MemoryStream();
        WriteStateDictJson(ms);
        return System.Text.Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
    }

    /// <summary><see cref="ToStateDictJson"/> written to <paramref name="output"/> as UTF-8 (see <see cref="WriteStateDictJsonAsync"/>).</summary>
    public void WriteStateDictJson(Stream output) => WriteStateDictJsonAsync(output).GetAwaiter().GetResult();

    /// <summary>
    /// <see cref="ToStateDictJson"/> written to <paramref name="output"/> as UTF-8, flushed every
    /// <see cref="ModelSerializer.StateDictFlushBytes"/>: the tensors go out as they are written, so a network of 3.2 million
    /// parameters is never held as its 30 MB of JSON (nor as a parsed copy of it, as before), and an HTTP response streams
    /// it. Over a <see cref="MemoryStream"/> it completes synchronously.
    /// </summary>
    public async Task WriteStateDictJsonAsync(Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new System.Text.Json.Utf8JsonWriter(output);
        ValueTask Tensor(string name, float[] data, params int[] shape) => ModelSerializer.WriteTensorAsync(writer, name, data, shape, cancellationToken);
        static void PerSeries(System.Text.Json.Utf8JsonWriter w, string name, IReadOnlyDictionary<string, float[]>? values)
        {
            if (values is null) return;
            w.WriteStartObject(name);
            foreach (var (id, row) in values)
            {
                w.WriteStartArray(id);
                foreach (var v in row) w.WriteNumberValue(v);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        static void Strings(System.Text.Json.Utf8JsonWriter w, string name, IEnumerable<string> values)
        {
            w.WriteStartArray(name);
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
        writer.WriteStartObject();
        // The network's tensors as the kernels' state_dict names them, then the extra tensors and the settings.
        await ModelSerializer.WriteStateDictTensorsAsync(writer, Network, cancellationToken);
        if (_highwayMatrix is not null)
        {
            await Tensor(StateHighwayWeight, _highwayMatrix, HeadSteps, InputWindow);
            await Tensor(StateHighwayBias, _highwayBias!, HeadSteps);
        }
        if (_calibration is not null) await Tensor(StateCalibration, _calibration, _quantiles.Length, Horizon);
        writer.WriteStartObject(StateForecastKey);
        writer.WriteNumber("inputWindow", InputWindow);
        writer.WriteNumber("horizon", Horizon);
        writer.WriteStartArray("quantiles");
        foreach (var q in _quantiles) writer.WriteNumberValue(q);
        writer.WriteEndArray();
        writer.WriteString("scaling", EnumName(Scaling));
        writer.WriteString("strategy", EnumName(Strategy));
        writer.WriteNumber("seasonLength", SeasonLength);
        writer.WriteNumber("ensemble", EnsembleSize);
        Strings(writer, "covariates", _covariates);
        Strings(writer, "futureCovariates", FutureCovariates);
        writer.WriteString("transform", EnumName(Transform));
        writer.WriteBoolean("nonNegative", NonNegative);
        if (NonNegativeDeclared) writer.WriteBoolean("nonNegativeDeclared", true);
        if (UpperBound is { } bound) writer.WriteNumber("upperBound", bound);
        PerSeries(writer, "seriesIntervalScales", SeriesIntervalScales);
        PerSeries(writer, "seriesMixWeights", SeriesMixWeights);
        writer.WriteBoolean("correctsStatistics", CorrectsStatistics);
        writer.WriteNumber("correctionScale", CorrectionScale);
        if (Statistics is not null)
        {
            writer.WritePropertyName("statistics");
            using var statistics = System.Text.Json.JsonDocument.Parse(Statistics.ToJson());
            statistics.RootElement.WriteTo(writer);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    const string StateHighwayWeight = "highway.weight", StateHighwayBias = "highway.bias", StateCalibration = "calibration";

    /// <summary>A classifier's export carries its settings under this key (<see cref="Classification.SequenceClassifier.StateClassificationKey"/>).</summary>
    public const string StateClassificationKey = Classification.SequenceClassifier.StateClassificationKey;

    /// <summary>Why a classifier's export does not register as a forecaster.</summary>
    public const string ClassifierExportRefusal =
        "A classifier's export (_classification): a classification version is trained (task classification), not registered from a state_dict.";

    /// <summary>
    /// The state_dict key (not a tensor) holding the forecast settings: {"inputWindow": 12, "horizon": 3, "quantiles": [0.1, 0.5, 0.9],
    /// "scaling": "windowLevel", "strategy": "direct", "seasonLength": 12, "ensemble": 5, "covariates": ["temp"], "futureCovariates": []}.
    /// </summary>
    public const string StateForecastKey = "_forecast";

    static string EnumName(Enum value) => Show(value);

    /// <summary>
    /// A model from state_dict JSON (as <see cref="ToStateDictJson"/> writes, or exported from PyTorch nn.LSTM or nn.GRU + nn.Linear
    /// named lstm.* or gru.* and head.*); shapes are inferred from the tensors, and the optional highway.* and calibration tensors
    /// are read back. The forecast settings come from the document's "_forecast" object when it has one (which also carries the
    /// season length, ensemble size and covariates); an argument given as well must agree with it (a model's weights only
    /// make sense with the settings they were trained with, so a contradiction is an error, not an override). Without
    /// "_forecast" (a plain PyTorch state_dict), <paramref name="inputWindow"/> and <paramref name="horizon"/> are required and
    /// the others default to no quantiles, window-level scaling and the direct strategy.
    /// Throws <see cref="InvalidDataException"/> on a bad document, a missing setting or a contradiction.
    /// </summary>
    public static ForecastModel FromStateDict(string json, int? inputWindow = null, int? horizon = null, float[]? quantiles = null, ScalingMode? scaling = null,
        ForecastStrategy? strategy = null)
    {
        var network = ModelSerializer.ReadStateDictNetwork(json);
        StoredSettings? stored = null;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            var root = doc.RootElement;
            // A key the model would not read is refused rather than dropped: a layer past a missing one, a bidirectional
            // or projected LSTM's tensors, a classifier's settings, a head of several layers.
            var known = network.Tensors.Select(t => t.Name).Concat([StateHighwayWeight, StateHighwayBias, StateCalibration, StateForecastKey]).ToHashSet(StringComparer.Ordinal);
            if (root.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !known.Contains(n)) is { } unknown)
                throw StateDictErrors.At(unknown, unknown == StateClassificationKey
                    ? ClassifierExportRefusal
                    : $"State dict key '{unknown}' is not a tensor this model reads: a {RecurrentConfig.Name(network.Config.Cell)} of {network.Config.Layers} layer(s) " +
                      $"({string.Join(", ", network.Tensors.Take(4).Select(t => t.Name))}, ...), head.weight and head.bias, and optionally " +
                      $"{StateHighwayWeight}, {StateHighwayBias}, {StateCalibration} and {StateForecastKey}.");
            stored = root.TryGetProperty(StateForecastKey, out var f) ? StoredSettings.Read(f) : null;
            int window = Agree("inputWindow", inputWindow, stored?.InputWindow)
                ?? throw StateDictErrors.OfArgument("inputWindow", $"inputWindow is required: the document has no {StateForecastKey} settings.");
            int steps = Agree("horizon", horizon, stored?.Horizon)
                ?? throw StateDictErrors.OfArgument("horizon", $"horizon is required: the document has no {StateForecastKey} settings.");
            if (quantiles is not null && stored?.Quantiles is { } storedLevels && !quantiles.SequenceEqual(storedLevels))
                throw Disagreement("quantiles", $"[{string.Join(", ", quantiles.Select(q => Show(q)))}]", $"[{string.Join(", ", storedLevels.Select(q => Show(q)))}]");
            // Before anything is sized from them: the highway's map alone is horizon x inputWindow floats.
            if (window < 1 || steps < 1 || (long)window * steps > 1L << 24)
                throw new InvalidDataException($"inputWindow {window} and horizon {steps} must be at least 1, and their product at most {1 << 24}.");
            var levels = quantiles ?? stored?.Quantiles ?? [];
            var mode = Agree("scaling", scaling, stored?.Scaling) ?? ScalingMode.WindowLevel;
            var how = Agree("strategy", strategy, stored?.Strategy) ?? ForecastStrategy.Direct;
            int headSteps = how == ForecastStrategy.Recursive ? 1 : steps;

            float[]? Optional(string name, params int[] shape)
            {
                if (!root.TryGetProperty(name, out var t)) return null;
                if (t.ValueKind != System.Text.Json.JsonValueKind.Object || !t.TryGetProperty("data", out var d) || d.ValueKind != System.Text.Json.JsonValueKind.Array)
                    throw StateDictErrors.At($"{name}.data", $"Tensor '{name}' needs a \"data\" array.");
                var values = new float[shape.Aggregate(1, (a, b) => a * b)];
                ModelSerializer.ReadTensorData(name, d, shape, values, $"inputWindow {window}, horizon {steps} and {levels.Length} quantiles set its shape [{string.Join(", ", shape)}]");
                return values;
            }
            var weight = Optional(StateHighwayWeight, headSteps, window);
            var bias = Optional(StateHighwayBias, headSteps);
            // Filed under the one missing, as a missing head or recurrent tensor is.
            if ((weight is null) != (bias is null) && (weight is null ? StateHighwayWeight : StateHighwayBias) is var absent)
                throw StateDictErrors.At(absent, $"State dict has no tensor '{absent}': {StateHighwayWeight} and {StateHighwayBias} go together (leave both out for a model without the highway).");
            var highway = weight is null ? null : LinearHighway.FromMap(weight, bias!, window);
            var calibration = Optional(StateCalibration, levels.Length, steps);
            try
            {
                var model = new ForecastModel(network, window, steps, levels, mode, highway, calibration, stored?.SeasonLength ?? 0, stored?.Ensemble ?? 1, how,
                    stored?.Covariates, stored?.FutureCovariates, stored?.Transform ?? SeriesTransform.None, stored?.Statistics, stored?.NonNegative ?? false, stored?.CorrectsStatistics ?? false, stored?.CorrectionScale ?? 1f)
                { NonNegativeDeclared = stored?.NonNegative == true && stored.NonNegativeDeclared == true, UpperBound = stored?.UpperBound };
                return WithStoredPerSeries(model, stored?.SeriesIntervalScales, stored?.SeriesMixWeights);
            }
            catch (ArgumentException e) when (e.ParamName == "network")
            {
                // The tensors fix the network's shape, so the error is the setting's that disagrees with it.
                throw NetworkMisfit(network.Config, steps, levels.Length, how, stored);
            }
        }
        catch (ArgumentException e)
        {
            // The model's parameters are named as the settings are (quantiles, inputWindow, ...): the error is the document's
            // setting's when the document gave it, else the argument's.
            var message = $"State dict does not fit the forecast settings: {StateDictErrors.MessageOf(e)}";
            var p = e.ParamName == "ensembleSize" ? "ensemble" : e.ParamName;
            if (p is null || !StoredSettings.Known.Contains(p)) throw new InvalidDataException(message);
            throw SettingError(p, stored, message);
        }
    }

    /// <summary>
    /// The imported model with the document's per-series interval scales and mixing weights; a bad entry is filed under its
    /// id, an id no request could name under its setting, and entries past the weights file's budget for them
    /// (<see cref="Training.PerSeriesById.Budget"/>) under the scales. Such a document had been stored, then could not be
    /// read back (its header past the reader's 1 MiB: 409 on every forecast; a QA pass).
    /// </summary>
    static ForecastModel WithStoredPerSeries(ForecastModel model, Dictionary<string, float[]>? scales, Dictionary<string, float[]>? weights)
    {
        const string scalesAt = StateForecastKey + ".seriesIntervalScales", weightsAt = StateForecastKey + ".seriesMixWeights";
        foreach (var (map, at) in new[] { (scales, scalesAt), (weights, weightsAt) })
            if (map?.Keys.FirstOrDefault(id => !SeriesIdRule.IsValid(id)) is { } bad)
                throw StateDictErrors.At(at, $"The series id {Shown(bad)} is not one a forecast or stream could name: ids are 1 to {SeriesIdRule.MaxLength} characters, no control characters.");
        long bytes = ((IEnumerable<string>?)scales?.Keys ?? []).Union((IEnumerable<string>?)weights?.Keys ?? [], StringComparer.Ordinal)
            .Sum(id => Training.PerSeriesById.Bytes(id, (scales?.GetValueOrDefault(id)?.Length ?? 0) + (weights?.GetValueOrDefault(id)?.Length ?? 0)));
        if (bytes > Training.PerSeriesById.Budget)
            throw StateDictErrors.At(scales is null ? weightsAt : scalesAt, $"The series' own interval scales and mixing weights would take about {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes of the weights " +
                $"file's header; at most {Training.PerSeriesById.Budget.ToString("N0", CultureInfo.InvariantCulture)} fit (training keeps the series within it): import fewer series' entries.");
        try { if (scales is not null) model = model.WithSeriesIntervalScales(scales); }
        catch (ArgumentException e) { throw StateDictErrors.At(EntryKey(scalesAt, e), StateDictErrors.MessageOf(e)); }
        try { return weights is null ? model : model.WithSeriesMixWeights(weights); }
        catch (ArgumentException e) { throw StateDictErrors.At(EntryKey(weightsAt, e), StateDictErrors.MessageOf(e)); }

        static string EntryKey(string at, ArgumentException e) => e.Data[SeriesIdEntry] is string id && SeriesIdRule.IsValid(id) ? $"{at}.{id}" : at;
        // JSON-quoted and cut short: the id may hold control characters or run to any length.
        static string Shown(string id) => System.Text.Json.JsonSerializer.Serialize(id.Length > 40 ? id[..40] + "..." : id);
    }

    /// <summary>An error of setting <paramref name="name"/>: the document's when it gave the setting, else the argument's.</summary>
    static InvalidDataException SettingError(string name, StoredSettings? stored, string message) =>
        stored?.Gives(name) == true ? StateDictErrors.At($"{StateForecastKey}.{name}", message) : StateDictErrors.OfArgument(name, message);

    /// <summary>The setting given as an argument or stored in the document; both must agree when both are there.</summary>
    static T? Agree<T>(string name, T? given, T? stored) where T : struct =>
        given is { } g && stored is { } s && !EqualityComparer<T>.Default.Equals(g, s) ? throw Disagreement(name, Show(g), Show(s)) : given ?? stored;

    static InvalidDataException Disagreement(string name, string given, string stored) =>
        StateDictErrors.OfArgument(name, $"{name} {given} disagrees with the document's {StateForecastKey}.{name} {stored}; omit it to use the document's.");

    static string Show(object value) => value is Enum e
        ? System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(e.ToString())
        : Convert.ToString(value, CultureInfo.InvariantCulture)!;

    /// <summary>The "_forecast" object of a state_dict document; absent fields are null.</summary>
    sealed record StoredSettings(int? InputWindow, int? Horizon, float[]? Quantiles, ScalingMode? Scaling, ForecastStrategy? Strategy, int? SeasonLength, int? Ensemble,
        string[]? Covariates, string[]? FutureCovariates, SeriesTransform? Transform = null, StatisticalEnsemble? Statistics = null, bool? NonNegative = null, bool? CorrectsStatistics = null, float? CorrectionScale = null, bool? NonNegativeDeclared = null,
        float? UpperBound = null, Dictionary<string, float[]>? SeriesIntervalScales = null, Dictionary<string, float[]>? SeriesMixWeights = null)
    {
        /// <summary>Whether the document gave the setting named <paramref name="name"/> (camelCase, one of <see cref="Known"/>).</summary>
        public bool Gives(string name) => typeof(StoredSettings).GetProperty(char.ToUpperInvariant(name[0]) + name[1..])?.GetValue(this) is not null;

        public static readonly string[] Known = ["inputWindow", "horizon", "quantiles", "scaling", "strategy", "seasonLength", "ensemble", "covariates",
            "futureCovariates", "transform", "nonNegative", "nonNegativeDeclared", "correctsStatistics", "correctionScale", "statistics", "upperBound",
            "seriesIntervalScales", "seriesMixWeights"];

        public static StoredSettings Read(System.Text.Json.JsonElement e)
        {
            const System.Text.Json.JsonValueKind Number = System.Text.Json.JsonValueKind.Number, Str = System.Text.Json.JsonValueKind.String, Arr = System.Text.Json.JsonValueKind.Array;
            if (e.ValueKind != System.Text.Json.JsonValueKind.Object) throw StateDictErrors.At(StateForecastKey, $"{StateForecastKey} must be an object of forecast settings.");
            InvalidDataException Bad(string name, string what) => StateDictErrors.At($"{StateForecastKey}.{name}", $"{StateForecastKey}.{name} must be {what}.");
            // A misspelt setting would otherwise be dropped and its default used without a word.
            if (e.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !Known.Contains(n)) is { } unknown)
                throw StateDictErrors.At($"{StateForecastKey}.{unknown}", $"{StateForecastKey}.{unknown} is not a forecast setting ({string.Join(", ", Known)}).");
            System.Text.Json.JsonElement? Get(string name) => e.TryGetProperty(name, out var v) && v.ValueKind != System.Text.Json.JsonValueKind.Null ? v : null;
            int? Int(string name) => Get(name) is not { } v ? null : v.ValueKind == Number && v.TryGetInt32(out var i) ? i : throw Bad(name, "an integer");
            T? Enum<T>(string name) where T : struct, Enum =>
                Get(name) is not { } v ? null
                : v.ValueKind == Str && System.Enum.TryParse<T>(v.GetString(), ignoreCase: true, out var r) && System.Enum.IsDefined(r) && !int.TryParse(v.GetString(), out _) ? r
                : throw Bad(name, string.Join(" or ", System.Enum.GetValues<T>().Select(x => EnumName(x))));
            string[]? Strings(string name) =>
                Get(name) is not { } v ? null
                : v.ValueKind == Arr ? v.EnumerateArray().Select(x => x.ValueKind == Str ? x.GetString()! : throw Bad(name, "an array of names")).ToArray()
                : throw Bad(name, "an array of names");
            float[]? Floats(string name) =>
                Get(name) is not { } v ? null
                : v.ValueKind == Arr ? v.EnumerateArray().Select(x => x.ValueKind == Number && x.TryGetSingle(out var q) && float.IsFinite(q) ? q : throw Bad(name, "an array of numbers")).ToArray()
                : throw Bad(name, "an array of numbers");
            bool? Bool(string name) => Get(name) is not { } v ? null
                : v.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False ? v.GetBoolean() : throw Bad(name, "true or false");
            Dictionary<string, float[]>? PerSeries(string name)
            {
                const string what = "an object of arrays of numbers, each id once";
                if (Get(name) is not { } v) return null;
                if (v.ValueKind != System.Text.Json.JsonValueKind.Object) throw Bad(name, what);
                var scales = new Dictionary<string, float[]>(StringComparer.Ordinal);
                foreach (var p in v.EnumerateObject())
                {
                    var about = $"{what} (series '{p.Name}')";
                    if (p.Value.ValueKind != Arr || !scales.TryAdd(p.Name, p.Value.EnumerateArray()
                            .Select(x => x.ValueKind == Number && x.TryGetSingle(out var f) && float.IsFinite(f) ? f : throw Bad(name, about)).ToArray()))
                        throw Bad(name, about);
                }
                return scales;
            }
            StatisticalEnsemble? Statistics() => Get("statistics") is not { } v ? null
                : v.ValueKind == System.Text.Json.JsonValueKind.Object ? ReadStatistics(v) : throw Bad("statistics", "an object");
            return new StoredSettings(Int("inputWindow"), Int("horizon"), Floats("quantiles"), Enum<ScalingMode>("scaling"), Enum<ForecastStrategy>("strategy"),
                Int("seasonLength"), Int("ensemble"), Strings("covariates"), Strings("futureCovariates"), Enum<SeriesTransform>("transform"), Statistics(), Bool("nonNegative"), Bool("correctsStatistics"), Get("correctionScale") is { } cs ? (cs.ValueKind == Number && cs.TryGetSingle(out var f) ? f : throw Bad("correctionScale", "a number in [0, 1]")) : null,
                Bool("nonNegativeDeclared"),
                Get("upperBound") is { } ub ? (ub.ValueKind == Number && ub.TryGetSingle(out var u) && float.IsFinite(u) ? u : throw Bad("upperBound", "a finite number")) : null,
                PerSeries("seriesIntervalScales"), PerSeries("seriesMixWeights"));
        }

        /// <summary>The "statistics" setting; an error inside it is filed under its path there ("_forecast.statistics.smoothing.alpha").</summary>
        static StatisticalEnsemble ReadStatistics(System.Text.Json.JsonElement statistics)
        {
            const string at = StateForecastKey + ".statistics";
            try { return StatisticalEnsemble.FromJson(statistics.GetRawText()); }
            catch (InvalidDataException e) { throw StateDictErrors.At(StateDictErrors.KeyOf(e) is { } key ? $"{at}.{key}" : at, e.Message); }
        }
    }
}
