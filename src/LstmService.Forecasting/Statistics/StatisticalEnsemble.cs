using System.Text.Json;
using System.Text.Json.Serialization;
using LstmService.Kernels;

namespace LstmService.Forecasting.Statistics;

/// <summary>
/// The classical forecasters a model combines with its network: exponential smoothing (shape and season chosen by AICc),
/// the theta method and a differenced autoregression, all fitted on the model's (possibly log-transformed) scale. Each
/// forecasts from any history; <see cref="Weights"/> say how the model mixes the network's forecast (first) with theirs.
/// </summary>
public sealed class StatisticalEnsemble
{
    /// <summary>Classical members: smoothing, theta, autoregression.</summary>
    public const int MemberCount = 3;

    /// <summary>Theta's place among <see cref="Weights"/>: the network's first, then the smoothing's.</summary>
    public const int ThetaWeight = 2;
    /// <summary>Names of the weights in order; the fifth (the model's linear highway as a member of its own) is optional.</summary>
    public static readonly string[] MemberNames = ["network", "exponentialSmoothing", "theta", "autoregression", "highway"];

    readonly float[] _weights;

    public StatisticalEnsemble(ExponentialSmoothing smoothing, ThetaMethod theta, DifferencedAutoregression autoregression, float[] weights, float intervalSpread = 0,
        CovariateEffect? covariateEffect = null, CovariateLevels? covariateLevels = null)
    {
        if (!(intervalSpread >= 0 && float.IsFinite(intervalSpread)))
            throw new ArgumentOutOfRangeException(nameof(intervalSpread), intervalSpread, "The interval spread floor is a finite number, at least 0.");
        ArgumentNullException.ThrowIfNull(smoothing);
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(autoregression);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length is not (MemberCount + 1 or MemberCount + 2) || weights.Any(w => !(w >= 0) || !float.IsFinite(w)) || !(Math.Abs(weights.Sum() - 1) < 1e-3))
            throw new ArgumentException($"Weights are {MemberCount + 1} (or with the highway {MemberCount + 2}) non-negative numbers summing to 1 (network first).", nameof(weights));
        Smoothing = smoothing; Theta = theta; Autoregression = autoregression;
        _weights = weights.ToArray();
        IntervalSpread = intervalSpread;
        CovariateEffect = covariateEffect;
        CovariateLevels = covariateLevels;
    }

    public ExponentialSmoothing Smoothing { get; }
    public ThetaMethod Theta { get; }
    public DifferencedAutoregression Autoregression { get; }
    /// <summary>Mixing weights: the network's forecast, then each classical member's, then the highway's when it is a member; sum 1.</summary>
    public IReadOnlyList<float> Weights => _weights;

    /// <summary>
    /// How the model's calibration offsets apply to the mix. 0: added as they are. Above 0: each is multiplied by this floor
    /// plus the standard deviation of the forecasters' forecasts (the network's and every member's) at that step, in encoded
    /// units (the history's mean absolute step under the default window-level scaling), so an interval widens where the forecasters disagree and narrows where
    /// they agree (normalised conformal prediction; the offsets were calibrated on residuals divided the same way).
    /// </summary>
    public float IntervalSpread { get; }

    /// <summary>
    /// What the series' covariates add to every member's forecast (the members read the series alone), or null: a model
    /// without covariates, or one whose covariates did not lower the members' error on the validation windows.
    /// </summary>
    public CovariateEffect? CovariateEffect { get; }

    /// <summary>
    /// The regression on the known covariates' levels that every forecaster's series is less of (a forecast adds it back over
    /// the horizon), or null: a model without covariates known in advance, or none with a significant coefficient.
    /// </summary>
    public CovariateLevels? CovariateLevels { get; }

    public StatisticalEnsemble WithWeights(float[] weights) => new(Smoothing, Theta, Autoregression, weights, IntervalSpread, CovariateEffect, CovariateLevels);

    public StatisticalEnsemble WithIntervalSpread(float intervalSpread) => new(Smoothing, Theta, Autoregression, _weights, intervalSpread, CovariateEffect, CovariateLevels);

    /// <summary>This ensemble with its autoregression's step limit measured in the training series' <paramref name="unit"/> (see <see cref="DifferencedAutoregression.StepUnit"/>).</summary>
    public StatisticalEnsemble WithStepUnit(double unit) => new(Smoothing, Theta, Autoregression.WithStepUnit(unit), _weights, IntervalSpread, CovariateEffect, CovariateLevels);

    public StatisticalEnsemble WithCovariateEffect(CovariateEffect? effect) => new(Smoothing, Theta, Autoregression, _weights, IntervalSpread, effect, CovariateLevels);

    public StatisticalEnsemble WithCovariateLevels(CovariateLevels? levels) => new(Smoothing, Theta, Autoregression, _weights, IntervalSpread, CovariateEffect, levels);

    /// <summary>
    /// Fits every member on <paramref name="series"/> (transformed and gap-filled); series count in inverse proportion to
    /// their squared typical step, so a global model is not ruled by its largest series. Weights start equal. A long series'
    /// fits take seconds, so <paramref name="cancellationToken"/> (a job's cancel, shutdown, time limit) is checked within them.
    /// </summary>
    /// <param name="relative">false for series already on the log scale (see <see cref="OutlyingSteps"/>; the autoregression's step limit).</param>
    /// <param name="global">The series are some of a global model's (its far shorter ones left out): the autoregression gets no step limit, as for several series.</param>
    public static StatisticalEnsemble Fit(IReadOnlyList<double[]> series, IReadOnlyList<int> seasons, CancellationToken cancellationToken = default, bool relative = true,
        bool global = false)
    {
        var weights = SeriesWeights(series);
        var (smoothing, _) = ExponentialSmoothing.SelectShape(series, weights, seasons, cancellationToken);
        return Around(smoothing, series, weights, seasons, [0.25f, 0.25f, 0.25f, 0.25f], 0, relative, global, cancellationToken);
    }

    /// <summary>
    /// The members fitted again on <paramref name="series"/> (all the data, where this ensemble held the validation part
    /// out), with its weights and interval spread but without its covariates' effect and levels (the trainer fits those
    /// again), keeping the smoothing's shape: the weights and the intervals were
    /// fitted for that shape. Choosing it again by AICc had changed a member under its weight (elecequip's, on the second
    /// suite), and a glitch of 600 as the last value of a monthly series about 100 had made it a trend on the log scale
    /// forecast at 7e12 a year on; the shape chosen without the glitch forecasts 220-600.
    /// </summary>
    public StatisticalEnsemble Refit(IReadOnlyList<double[]> series, IReadOnlyList<int> seasons, CancellationToken cancellationToken = default, bool relative = true,
        bool global = false)
    {
        var weights = SeriesWeights(series);
        var (smoothing, _) = ExponentialSmoothing.Fit(series, weights, Smoothing.Trend, Smoothing.Damped, Smoothing.Season, cancellationToken);
        return Around(smoothing, series, weights, seasons, _weights.ToArray(), IntervalSpread, relative, global, cancellationToken,
            Theta.Season > 1 ? Theta.Season : null);
    }

    /// <summary>
    /// Theta (on the smoothing's season, else the first detected) and the autoregression fitted beside <paramref name="smoothing"/>.
    /// A refit keeps <paramref name="thetaSeason"/>, the season the held-out theta removed, as it keeps the smoothing's shape:
    /// the weights were earned with it. Tested again on the whole series, a season the held-out part had taken untested (fewer
    /// than 2.5 periods there, <see cref="ThetaMethod.SeasonOf"/>) had been dropped under theta's weight: 30 months with a
    /// horizon of 6 forecast 30 off where the season swung by 60.
    /// </summary>
    static StatisticalEnsemble Around(ExponentialSmoothing smoothing, IReadOnlyList<double[]> series, double[] seriesWeights, IReadOnlyList<int> seasons,
        float[] weights, float intervalSpread, bool relative, bool global, CancellationToken cancellationToken, int? thetaSeason = null)
    {
        int season = smoothing.Season > 1 ? smoothing.Season : seasons.Count > 0 ? seasons[0] : 1;
        var theta = thetaSeason is int kept ? ThetaMethod.FitWithSeason(series, seriesWeights, kept, cancellationToken) : ThetaMethod.Fit(series, seriesWeights, season, cancellationToken);
        var autoregression = DifferencedAutoregression.Fit(series, seasons, cancellationToken, relative, global);
        return new StatisticalEnsemble(smoothing, theta, autoregression, weights, intervalSpread);
    }

    /// <summary>Per-series weight: one over the squared mean absolute step (1 for a constant series).</summary>
    internal static double[] SeriesWeights(IReadOnlyList<double[]> series) => series.Select(y =>
    {
        double sum = 0;
        for (int t = 1; t < y.Length; t++) sum += Math.Abs(y[t] - y[t - 1]);
        double step = y.Length > 1 ? sum / (y.Length - 1) : 0;
        return step > 0 ? 1 / (step * step) : 1;
    }).ToArray();

    /// <summary>
    /// Each member's forecast of <paramref name="steps"/> values after <paramref name="history"/> (transformed, gap-filled, at
    /// least two values): <paramref name="output"/> holds [<see cref="MemberCount"/>, steps].
    /// </summary>
    /// <remarks>Runs through <see cref="StatisticalState"/>, the state a stream extends, so both forecast alike; the history is
    /// read in the training series' own units (the trainer's windows and rolling origins), its step limit as fitted.</remarks>
    public void Forecast(ReadOnlySpan<double> history, int steps, Span<double> output)
    {
        StatisticalState.Build(this, history).Forecast(this, steps, output);
    }

    /// <summary>
    /// The members' forecasts from many origins of one series in about one pass (the trainer's windows):
    /// row r of <paramref name="output"/> ([origins, MemberCount, steps]) forecasts y[origins[r]..] from y[..origins[r]].
    /// Smoothing and theta states run once along the series. What they read from the history as a whole (theta's seasonal
    /// index, the smoothing's initial states) is read, for an origin within the first <paramref name="fitted"/> values
    /// (those the members were fitted on), from all of them, in sample, and for a later one from the values before it alone
    /// (<see cref="ThetaMethod.ForecastsAlong"/>, <see cref="ExponentialSmoothing.ForecastsAlong"/>), so neither reads a
    /// validation window's targets (a gap in <paramref name="y"/> is still filled as given, across the origin). Origins are
    /// increasing and at least 2.
    /// </summary>
    public void ForecastsAlong(double[] y, IReadOnlyList<int> origins, int steps, double[] output, int fitted)
    {
        int stride = MemberCount * steps;
        Smoothing.ForecastsAlong(y, origins, steps, output, 0, stride, fitted);
        Theta.ForecastsAlong(y, origins, steps, output, steps, stride, fitted);
        Autoregression.ForecastsAlong(y, origins, steps, output, 2 * steps, stride);
    }

    public string ToJson() => JsonSerializer.Serialize(new Stored(
        new StoredSmoothing(Smoothing.Trend, Smoothing.Damped, Smoothing.Season, Smoothing.Alpha, Smoothing.Beta, Smoothing.Gamma, Smoothing.Phi),
        new StoredTheta(Theta.Alpha, Theta.Season, Theta.Multiplicative),
        new StoredAutoregression(Autoregression.Lags.ToArray(), Autoregression.Coefficients.ToArray(), Autoregression.Differenced,
            double.IsFinite(Autoregression.StepLimit) ? Autoregression.StepLimit : null, Autoregression.StepUnit),
        _weights, IntervalSpread > 0 ? IntervalSpread : null,
        CovariateEffect is { } c ? new StoredCovariateEffect(c.Future.ToArray(), c.Used.ToArray(), c.Lags, c.Horizon, c.Coefficients.ToArray(), c.Season > 1 ? c.Season : null) : null,
        CovariateLevels is { } l ? new StoredCovariateLevels(l.Coefficients.ToArray(), l.Difference, l.Multiplicative ? true : null) : null), Options);

    /// <summary>
    /// Reads what <see cref="ToJson"/> wrote; throws <see cref="InvalidDataException"/> when it does not describe a valid
    /// ensemble, keyed (<see cref="StateDictErrors.KeyOf"/>) by the path of the value at fault inside this JSON
    /// ("smoothing.alpha", "weights") where one is, so an imported document can name it.
    /// </summary>
    public static StatisticalEnsemble FromJson(string json)
    {
        Stored s;
        try { s = JsonSerializer.Deserialize<Stored>(json, Options) ?? throw new InvalidDataException("Empty statistical ensemble."); }
        catch (JsonException ex)
        {
            // The serializer's message names .NET types; its path says where the value of the wrong kind is.
            var path = ex.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
            var message = $"Invalid statistical ensemble: {path ?? "the JSON"} does not hold the kind of value the export writes there.";
            throw path is null ? new InvalidDataException(message) : StateDictErrors.At(path, message);
        }
        const string needs = "The statistical ensemble needs smoothing, theta, autoregression and weights.";
        var e = s.Smoothing ?? throw Invalid("smoothing", needs);
        var t = s.Theta ?? throw Invalid("theta", needs);
        var a = s.Autoregression ?? throw Invalid("autoregression", needs);
        var weights = s.Weights ?? throw Invalid("weights", needs);
        if (e.Season > 10000) throw Invalid("smoothing.season", "The smoothing's season is out of range (at most 10000).");
        if (t.Season > 10000) throw Invalid("theta.season", "The theta method's season is out of range (at most 10000).");
        if (a.Lags is not { } lags) throw Invalid("autoregression.lags", "The autoregression needs its lags.");
        if (lags.Length > 4096 || lags.Any(l => l > 100000)) throw Invalid("autoregression.lags", "The autoregression's lags are out of range (at most 4096 lags, each at most 100000).");
        var effect = s.CovariateEffect is { } c
            ? Member("covariateEffect", () => new CovariateEffect(c.Future ?? throw Invalid("covariateEffect.future", "The covariate effect needs its covariates."),
                c.Used ?? throw Invalid("covariateEffect.used", "The covariate effect needs the covariates it reads."), c.Lags, c.Horizon,
                c.Coefficients ?? throw Invalid("covariateEffect.coefficients", "The covariate effect needs its coefficients."), c.Season ?? 1))
            : null;
        var levels = s.CovariateLevels is { } cl
            ? Member("covariateLevels", () => new CovariateLevels(cl.Coefficients ?? throw Invalid("covariateLevels.coefficients", "The covariate levels need their coefficients."), cl.Difference, cl.Multiplicative == true))
            : null;
        var smoothing = Member("smoothing", () => new ExponentialSmoothing(e.Trend, e.Damped, e.Season, e.Alpha, e.Beta, e.Gamma, e.Phi));
        var theta = Member("theta", () => new ThetaMethod(t.Alpha, t.Season, t.Multiplicative));
        var autoregression = Member("autoregression", () => new DifferencedAutoregression(lags, a.Coefficients, a.Differenced ?? true, a.StepLimit ?? double.PositiveInfinity, a.StepUnit));
        return Member(null, () => new StatisticalEnsemble(smoothing, theta, autoregression, weights, s.IntervalSpread ?? 0, effect, levels));
    }

    static InvalidDataException Invalid(string path, string message) => StateDictErrors.At(path, $"Invalid statistical ensemble: {message}");

    /// <summary>Builds one part of the ensemble; a constructor's argument error is keyed by the member and the argument, which the JSON names alike.</summary>
    static T Member<T>(string? member, Func<T> build)
    {
        try { return build(); }
        catch (ArgumentException ex)
        {
            var path = ex.ParamName is { Length: > 0 } name ? member is null ? name : $"{member}.{name}" : member;
            var message = ex is ArgumentNullException ? $"{path ?? "a value"} is required." : StateDictErrors.MessageOf(ex);
            throw path is null ? new InvalidDataException($"Invalid statistical ensemble: {message}") : Invalid(path, message);
        }
    }

    static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    // IntervalSpread is absent (0) in ensembles stored before it existed, whose offsets are absolute; CovariateEffect is
    // absent where there is none (every ensemble stored before it existed).
    sealed record Stored(StoredSmoothing? Smoothing, StoredTheta? Theta, StoredAutoregression? Autoregression, float[]? Weights,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? IntervalSpread = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StoredCovariateEffect? CovariateEffect = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StoredCovariateLevels? CovariateLevels = null);
    sealed record StoredCovariateLevels(float[]? Coefficients, int Difference,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Multiplicative = null);
    // Season is absent (none) in effects stored before it existed and in those without a season.
    sealed record StoredCovariateEffect(bool[]? Future, bool[]? Used, int Lags, int Horizon, float[]? Coefficients,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Season = null);
    sealed record StoredSmoothing(bool Trend, bool Damped, int Season, double Alpha, double Beta, double Gamma, double Phi);
    sealed record StoredTheta(double Alpha, int Season, bool Multiplicative);
    // StepLimit is absent (none) in autoregressions stored before it existed and in a global model's; StepUnit (an absolute
    // limit) in those stored before the limit followed the history's units.
    sealed record StoredAutoregression(int[] Lags, double[] Coefficients, bool? Differenced,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? StepLimit = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? StepUnit = null);
}
