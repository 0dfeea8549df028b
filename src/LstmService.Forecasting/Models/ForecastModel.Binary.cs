using System.Globalization;

using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

// The binary weights format (ModelSerializer) with the forecast settings as metadata entries.
public sealed partial class ForecastModel
{
    const string KeyWindow = "forecast.inputWindow", KeyHorizon = "forecast.horizon", KeyQuantiles = "forecast.quantiles", KeyScaling = "forecast.scaling";
    // Added with the highway and ensembles; files without them load as a plain network.
    const string KeyHighway = "forecast.highway", KeyCalibration = "forecast.calibration", KeySeason = "forecast.seasonLength", KeyEnsemble = "forecast.ensemble",
        KeyStrategy = "forecast.strategy", KeyCovariates = "forecast.covariates", KeyFuture = "forecast.futureCovariates";
    // Added with the classical members; files without them load as network-only models on the original scale.
    const string KeyTransform = "forecast.transform", KeyStatistics = "forecast.statistics", KeyNonNegative = "forecast.nonNegative", KeyCorrects = "forecast.correctsStatistics", KeyCorrectionScale = "forecast.correctionScale",
        KeyUpperBound = "forecast.upperBound";
    // Added with per-series intervals (a model of several series); files without it forecast every series with the pooled offsets.
    const string KeySeriesScales = "forecast.seriesIntervalScales", KeySeriesWeights = "forecast.seriesMixWeights", KeySeriesGrowth = "forecast.seriesIntervalGrowth";

    /// <summary>
    /// Writes the library's binary format (header with magic, version, shapes, forecast settings and SHA-256, then the weights).
    /// The highway's AR coefficients, the calibration offsets, the season length and the ensemble size are metadata entries.
    /// </summary>
    public void Save(Stream stream)
    {
        var meta = new Dictionary<string, string>
        {
            [KeyWindow] = InputWindow.ToString(CultureInfo.InvariantCulture),
            [KeyHorizon] = Horizon.ToString(CultureInfo.InvariantCulture),
            [KeyQuantiles] = string.Join(",", _quantiles.Select(ModelSerializer.Format)),
            [KeyScaling] = Scaling.ToString(),
            [KeySeason] = SeasonLength.ToString(CultureInfo.InvariantCulture),
            [KeyEnsemble] = EnsembleSize.ToString(CultureInfo.InvariantCulture),
            [KeyStrategy] = Strategy.ToString(),
        };
        if (Highway is not null) meta[KeyHighway] = Highway.Serialize();
        if (Transform != SeriesTransform.None) meta[KeyTransform] = Transform.ToString();
        if (Statistics is not null) meta[KeyStatistics] = Statistics.ToJson();
        if (NonNegative) meta[KeyNonNegative] = NonNegativeDeclared ? "declared" : "true";
        if (UpperBound is { } bound) meta[KeyUpperBound] = ModelSerializer.Format(bound);
        if (CorrectsStatistics) meta[KeyCorrects] = "true";
        if (CorrectionScale != 1f) meta[KeyCorrectionScale] = ModelSerializer.Format(CorrectionScale);
        if (_calibration is not null) meta[KeyCalibration] = string.Join(",", _calibration.Select(ModelSerializer.Format));
        if (SeriesIntervalScales is { } scales)
        {
            // The factors per level as releases before the step exponent read them, the exponents under a key of their own:
            // an older replica of a rolling update (or a rollback) still loads the version, scaling every step alike.
            int q = _quantiles.Length;
            meta[KeySeriesScales] = System.Text.Json.JsonSerializer.Serialize(scales.ToDictionary(p => p.Key, p => p.Value[..q]));
            var growth = scales.Where(p => p.Value.Length > q).ToDictionary(p => p.Key, p => p.Value[q]);
            if (growth.Count > 0) meta[KeySeriesGrowth] = System.Text.Json.JsonSerializer.Serialize(growth);
        }
        if (SeriesMixWeights is { } weights) meta[KeySeriesWeights] = System.Text.Json.JsonSerializer.Serialize(weights);
        if (_covariates.Length > 0)
        {
            meta[KeyCovariates] = System.Text.Json.JsonSerializer.Serialize(_covariates);
            meta[KeyFuture] = System.Text.Json.JsonSerializer.Serialize(FutureCovariates);
        }
        ModelSerializer.Write(stream, Network, meta);
    }

    /// <summary>A stored upper bound: a finite number.</summary>
    static float ParseBound(string text) =>
        float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) is var bound && float.IsFinite(bound) ? bound : throw new FormatException($"The upper bound {text} is not finite.");

    /// <summary>Reads what <see cref="Save"/> wrote (also files written before the highway existed); a truncated or altered stream throws <see cref="InvalidDataException"/>.</summary>
    public static ForecastModel Load(Stream stream)
    {
        var network = ModelSerializer.ReadNetwork(stream, out var meta);
        try
        {
            int window = int.Parse(meta[KeyWindow], CultureInfo.InvariantCulture);
            int horizon = int.Parse(meta[KeyHorizon], CultureInfo.InvariantCulture);
            var quantiles = ParseFloats(meta[KeyQuantiles]);
            var scaling = Enum.Parse<ScalingMode>(meta[KeyScaling]);
            var highway = meta.TryGetValue(KeyHighway, out var hw) ? LinearHighway.Parse(hw) : null;
            var calibration = meta.TryGetValue(KeyCalibration, out var cal) ? ParseFloats(cal) : null;
            int season = meta.TryGetValue(KeySeason, out var se) ? int.Parse(se, CultureInfo.InvariantCulture) : 0;
            int ensemble = meta.TryGetValue(KeyEnsemble, out var en) ? int.Parse(en, CultureInfo.InvariantCulture) : 1;
            var strategy = meta.TryGetValue(KeyStrategy, out var st) ? Enum.Parse<ForecastStrategy>(st) : ForecastStrategy.Direct;
            var covariates = meta.TryGetValue(KeyCovariates, out var cv) ? System.Text.Json.JsonSerializer.Deserialize<string[]>(cv) : null;
            var future = meta.TryGetValue(KeyFuture, out var fc) ? System.Text.Json.JsonSerializer.Deserialize<string[]>(fc) : null;
            var transform = meta.TryGetValue(KeyTransform, out var tr) ? Enum.Parse<SeriesTransform>(tr) : SeriesTransform.None;
            var statistics = meta.TryGetValue(KeyStatistics, out var sj) ? StatisticalEnsemble.FromJson(sj) : null;
            // "declared": the clamp was asked for and holds for every history; "true": chosen from the data.
            bool declared = meta.TryGetValue(KeyNonNegative, out var nn) && nn == "declared";
            bool nonNegative = declared || (nn is not null && bool.Parse(nn));
            var model = new ForecastModel(network, window, horizon, quantiles, scaling, highway, calibration, season, ensemble, strategy, covariates, future,
                transform, statistics, nonNegative, meta.TryGetValue(KeyCorrects, out var cs) && bool.Parse(cs),
                meta.TryGetValue(KeyCorrectionScale, out var sc) ? float.Parse(sc, NumberStyles.Float, CultureInfo.InvariantCulture) : 1f)
            {
                NonNegativeDeclared = declared,
                UpperBound = meta.TryGetValue(KeyUpperBound, out var ub) ? ParseBound(ub) : null,
            };
            if (meta.TryGetValue(KeySeriesScales, out var ss))
            {
                var scales = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, float[]>>(ss) ?? throw new FormatException("The series' interval scales are null.");
                if (meta.TryGetValue(KeySeriesGrowth, out var sg))
                    foreach (var (id, exponent) in System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, float>>(sg) ?? throw new FormatException("The series' interval growth is null."))
                        scales[id] = scales.TryGetValue(id, out var factors) && factors.Length == quantiles.Length ? [.. factors, exponent]
                            : throw new FormatException($"Series '{id}' has a step exponent but not one interval scale per quantile level.");
                model = model.WithSeriesIntervalScales(scales);
            }
            if (meta.TryGetValue(KeySeriesWeights, out var sw))
                model = model.WithSeriesMixWeights(System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, float[]>>(sw)
                    ?? throw new FormatException("The series' mixing weights are null."));
            return model;
        }
        catch (InvalidDataException) { throw; }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or ArgumentException or OverflowException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"Weights file lacks valid forecast settings: {e.Message}");
        }
    }

    static float[] ParseFloats(string text) =>
        text.Length == 0 ? [] : text.Split(',').Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
}
