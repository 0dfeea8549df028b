using System.Runtime.InteropServices;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Streaming;
using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

// A series' state extended value by value (SeriesState), and the forecast from it: the one path every forecast takes.
public sealed partial class ForecastModel
{
    /// <summary>The network input, scaling and classical forecasts of one series, ready for the batch.</summary>
    /// <param name="Shift">The covariate levels' effect at each step of the horizon, put back by <see cref="Output"/> (null: the model has none).</param>
    /// <param name="ClampAtZero">Whether the forecast is clamped at zero (<see cref="ReadsNonNegative"/>).</param>
    /// <param name="Alternative">The same series with its last value read as what it was expected to be, where that value
    /// may be a glitch or a change (<see cref="SurprisingHeld"/>), else null.</param>
    /// <param name="Fixed">Per step, the value of a phase that held one value in every recent period (<see cref="FixedSteps"/>), or null.</param>
    /// <param name="Gap">The trailing gap the forecast runs through (<see cref="WidenForGap"/>).</param>
    /// <param name="Changes">The changes of level read (<see cref="LevelShiftWatch.Changes"/>), indexed in the history (null: none).</param>
    /// <param name="IntervalScales">The series' own factor per quantile level and step exponent (<see cref="SeriesIntervalScales"/>), or null.</param>
    /// <param name="MixWeights">The series' own mixing weights (<see cref="SeriesMixWeights"/>), or null.</param>
    /// <param name="ZeroAtom">Quantiles below it read as zero (<see cref="ZeroAtomOf"/>; 0: none).</param>
    internal sealed record Prepared(float[] Window, float[] Row, (float Level, float Scale) Scaling, double[]? Members, float[]? Shift = null, bool ClampAtZero = false,
        Prepared? Alternative = null, float[]? Fixed = null, int Gap = 0, IReadOnlyList<LevelChange>? Changes = null, float[]? IntervalScales = null,
        IReadOnlyList<float>? MixWeights = null, float ZeroAtom = 0);

    /// <summary>
    /// <paramref name="prepared"/> (and its alternative reading) with the interval scales and mixing weights of the training
    /// series <paramref name="id"/> names, where this model keeps any for it.
    /// </summary>
    Prepared OfSeries(Prepared prepared, string? id)
    {
        if (id is null) return prepared;
        float[]? factors = SeriesIntervalScales?.GetValueOrDefault(id), weights = SeriesMixWeights?.GetValueOrDefault(id);
        if (factors is null && weights is null) return prepared;
        return prepared with
        {
            IntervalScales = factors, MixWeights = weights,
            Alternative = prepared.Alternative is { } other ? other with { IntervalScales = factors, MixWeights = weights } : null,
        };
    }

    /// <summary>An empty state for this model (no values yet).</summary>
    public SeriesState NewState() => new()
    {
        Scale = ScaleAccumulator.Create(Scaling),
        Statistics = Statistics is null ? null : StatisticalState.Create(Statistics),
        Covariates = _covariates.Select(n => new CovariateState { Name = n, Scale = ScaleAccumulator.Create(ScalingMode.SeriesZScore) }).ToList(),
    };

    /// <summary>
    /// The state of a whole history (NaN = missing) and its covariates' values ([covariate][step], in <see cref="Covariates"/>
    /// order), as appending them one by one would leave it, in one pass. The same rules as <see cref="Append"/>. A gap the
    /// model's forecasts fill is filled as series <paramref name="seriesId"/>'s (<see cref="SeriesState.SeriesId"/>).
    /// </summary>
    public SeriesState NewState(float[] history, float[][]? covariates = null, string? seriesId = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        covariates ??= [];
        if (covariates.Length != _covariates.Length || covariates.Any(c => c is null || c.Length != history.Length))
            throw new ArgumentException($"This model reads {_covariates.Length} covariates, each as long as the history.", nameof(covariates));
        foreach (var value in history) if (float.IsInfinity(value)) throw new ArgumentException("The history holds an infinite value.", nameof(history));
        foreach (var c in covariates) foreach (var v in c) if (float.IsInfinity(v)) throw new ArgumentException("A covariate value is infinite.", nameof(covariates));
        if (CovariateLevels is { } levels)
        {
            // Checked as given first where the model takes the given values' logarithm (a multiplicative effect), as Append does.
            if (LogOfGiven && Array.FindIndex(history, v => !float.IsNaN(v) && !(v > 0)) is var bad and >= 0)
                throw new ArgumentException($"This model works on the log scale: a streamed value must be positive (or null); history[{bad}] is {history[bad]}.", nameof(history));
            var adjusted = levels.Adjust(history, covariates);
            if (AdjustedProblem(history, adjusted, covariates) is var (field, problem)) throw new ArgumentException(problem, field);
            history = adjusted;
        }
        var transformed = new float[history.Length];
        for (int t = 0; t < history.Length; t++)
        {
            float value = history[t];
            if (Transform == SeriesTransform.Log && !float.IsNaN(value) && !(value > 0))
                throw new ArgumentException("This model works on the log scale: a streamed value must be positive (or null).", nameof(history));
            transformed[t] = Transform == SeriesTransform.Log && !float.IsNaN(value) ? MathF.Log(value) : value;
        }
        return Build(transformed, covariates, seriesId);
    }

    /// <summary>
    /// The state of a transformed history in one pass: every value up to the last observed one gap-filled by
    /// <see cref="SeriesMath.FillGaps"/> (the expression <see cref="FillUpTo"/> repeats value by value) and added to the sums
    /// and filters; the last values kept.
    /// </summary>
    SeriesState Build(float[] transformed, float[][] covariates, string? seriesId)
    {
        int n = transformed.Length, keep = Math.Max(InputWindow, 2);
        var state = NewState();
        state.SeriesId = seriesId;
        if (ClosesFillableGap(transformed))
        {
            // Whether a gap is filled by the model's forecasts depends on the state before it: value by value.
            foreach (var value in transformed) AppendTransformed(state, value, default);
            return state;
        }
        state.Length = n;
        state.Window = [.. transformed.AsSpan(Math.Max(0, n - WindowKept))];
        int settled = ObservedLength(transformed);
        if (settled > 0)
        {
            var filled = new float[settled];
            SeriesMath.FillGaps(transformed.AsSpan(0, settled), filled);
            // Value by value, as a stream settles them: whether a value was a glitch depends on the values before it.
            int lead = Array.FindIndex(transformed, v => !float.IsNaN(v));
            for (int t = 0; t < settled; t++)
                if (t < lead) SettleLead(state, filled[t], keep);
                else SettleTarget(state, filled[t], keep);
            state.Settled = settled;
        }
        for (int k = 0; k < covariates.Length; k++)
        {
            var track = state.Covariates[k];
            var values = covariates[k];
            int observed = ObservedLength(values);
            if (observed == 0) continue;
            var filled = new float[observed];
            SeriesMath.FillGaps(values.AsSpan(0, observed), filled);
            foreach (var v in filled) track.Scale.Add(v);
            track.Tail = [.. filled.AsSpan(Math.Max(0, observed - keep))];
            track.Settled = observed;
        }
        return state;
    }

    /// <summary>Values up to and including the last observed one (0 when none is).</summary>
    static int ObservedLength(float[] values)
    {
        int i = values.Length;
        while (i > 0 && float.IsNaN(values[i - 1])) i--;
        return i;
    }

    /// <summary>
    /// Appends one value (NaN = missing) and the covariates' values at the same step (NaN = missing; every covariate of the
    /// model, in <see cref="Covariates"/> order). Under the log transform a value must be positive: a one-off forecast floors
    /// other values at a fraction of the history's smallest positive value, which a stream cannot know in advance.
    /// </summary>
    public void Append(SeriesState state, float value, ReadOnlySpan<float> covariates = default)
    {
        if (float.IsInfinity(value)) throw new ArgumentException("The value is infinite.", nameof(value));
        if (LogOfGiven && !float.IsNaN(value) && !(value > 0))
            throw new ArgumentException("This model works on the log scale: a streamed value must be positive (or null).", nameof(value));
        if (covariates.Length != _covariates.Length) throw new ArgumentException($"This model reads {_covariates.Length} covariates.", nameof(covariates));
        foreach (var c in covariates) if (float.IsInfinity(c)) throw new ArgumentException("A covariate value is infinite.", nameof(covariates));
        if (CovariateLevels is { } levels)
        {
            // What the rest of the model reads: the value less the covariates' effect (missing when a covariate it reads is).
            float adjusted = levels.Remove(value, levels.Effect(covariates));
            if (FirstOutOfRange([adjusted]) >= 0)
                throw new ArgumentException(AdjustedMessage(adjusted), Culprit(value, adjusted, covariates) is var k and >= 0 ? $"covariates.{_covariates[k]}" : nameof(value));
            value = adjusted;
        }
        AppendTransformed(state, Transform == SeriesTransform.Log && !float.IsNaN(value) ? MathF.Log(value) : value, covariates);
    }

    /// <summary>Appends a value already on the model's scale (a one-off forecast transforms its whole history first).</summary>
    void AppendTransformed(SeriesState state, float value, ReadOnlySpan<float> covariates)
    {
        int i = state.Length, keep = Math.Max(InputWindow, 2);
        if (!float.IsNaN(value))
        {
            if (state.Settled == 0) for (int j = 0; j < i; j++) SettleLead(state, value, keep);
            else if (state.Pending > 0 && FillsClosedGap(state.Pending, (state.Statistics?.Count ?? 0) + (state.Held is null ? 0 : 1),
                () => MissingBefore(CollectionsMarshal.AsSpan(state.Window), state.Window.Count - state.Pending, fromStart: false)))
                SettleFilledGap(state, value, keep);
            else FillUpTo(state.Settled, state.Held ?? (state.Tail.Count > 0 ? state.Tail[^1] : 0), i, value, v => SettleTarget(state, v, keep));
            SettleTarget(state, value, keep);
            state.Settled = i + 1;
        }
        SeriesState.Push(state.Window, value, WindowKept);
        for (int k = 0; k < covariates.Length; k++)
        {
            var track = state.Covariates[k];
            if (float.IsNaN(covariates[k])) continue;
            FillUpTo(track.Settled, track.Tail.Count > 0 ? track.Tail[^1] : 0, i, covariates[k], v => SettleCovariate(track, v, keep));
            SettleCovariate(track, covariates[k], keep);
            track.Settled = i + 1;
        }
        state.Length = i + 1;
    }

    /// <summary>
    /// Why <paramref name="state"/> cannot be forecast from (too short, its trailing gap too long or the window before it
    /// mostly missing: <see cref="TrailingGapProblem"/>), or null.
    /// The state of a one-off forecast was checked on its history already.
    /// </summary>
    public string? ForecastProblem(SeriesState state)
    {
        if (state.Length < InputWindow) return $"The series has {state.Length} values; this model needs at least {InputWindow}.";
        if (state.Length < MinimumHistory)
            return $"The series has {state.Length} values; this model {SeasonalMinimumReason}.";
        if (TrailingGapProblem(CollectionsMarshal.AsSpan(state.Window), state.Pending, state.Settled > 0, fromStart: false) is { } gapProblem)
            return gapProblem + MissingCovariatesNote;
        return null;
    }

    /// <summary>
    /// The network input, scaling and member forecasts from a state: the trailing gap is filled on a copy, so the state itself
    /// is unchanged; by the model's own forecasts from the values before it (<see cref="FillTrailingGap"/>), or, for a model
    /// with covariates, carried forward (a covariate's interpolated towards its known future). A surprising last value comes
    /// with its reading as expected (<see cref="Prepared.Alternative"/>).
    /// </summary>
    internal Prepared Prepare(SeriesState state, IReadOnlyDictionary<string, float[]>? futureCovariates, int steps, string field)
    {
        var prepared = PrepareSettled(state, Settled(state, state.Held), futureCovariates, steps, field);
        return SurprisingHeld(state) is { } expected
            ? prepared with { Alternative = PrepareSettled(state, Settled(state, expected), futureCovariates, steps, field) }
            : prepared;
    }

    /// <summary><see cref="Prepare"/> once the trailing gap is filled: <paramref name="settled"/> is <paramref name="state"/> with its gap settled.</summary>
    Prepared PrepareSettled(SeriesState state, SeriesState settled, IReadOnlyDictionary<string, float[]>? futureCovariates, int steps, string field)
    {
        int w = InputWindow, c = _covariates.Length;
        var filled = SeriesState.Last(settled.Tail, w);
        var window = new float[w];
        var unit = HeadUnit(settled);
        double[]? members = null;
        var read = filled;
        IReadOnlyList<LevelChange>? levelChanges = null;
        if (Statistics is not null)
        {
            members = new double[StatisticalEnsemble.MemberCount * Horizon];
            var changes = settled.Statistics!.Forecast(Statistics, Horizon, members, unit.Scale);
            // The network and the highway read the window at the level the members read it: a window holding a change's
            // step had them forecast part of the way back for a week after it (a QA pass: 1.70 times a seasonal naive error).
            read = LevelShiftWatch.AtLatestLevel(filled, settled.Statistics.Count - 1, changes);
            levelChanges = LevelChanges(changes, settled.Lead);
        }
        var scaling = EncodeWindow(read, w, w, Scaling, unit, window);
        var given = Given(state, filled);
        if (c == 0)
        {
            bool clamp = ReadsNonNegative(given, null);
            return new Prepared(window, window, scaling, members, null, clamp, Fixed: FixedSteps(settled, Horizon), Gap: state.Pending,
                Changes: levelChanges, ZeroAtom: ZeroAtomOf(given, clamp));
        }
        var covariates = new float[c][];
        var stats = new (float Center, float Scale)[c];
        for (int k = 0; k < c; k++)
            (covariates[k], stats[k]) = CovariateWindow(state, k, futureCovariates, steps, field);
        var row = new float[Layout.RowLength];
        Layout.Encode(window, covariates, stats, w, row);
        float[]? shift = null;
        if (CovariateLevels is { } levels)
        {
            // The known covariates' given future (gap-filled, carried to the horizon) follows each one's window.
            shift = new float[Horizon];
            for (int t = 0; t < Horizon; t++) shift[t] = levels.Effect(covariates, w + t);
        }
        bool clamped = ReadsNonNegative(given, covariates);
        return new Prepared(window, row, scaling, members, shift, clamped, Fixed: FixedSteps(settled, Horizon), Gap: state.Pending,
            Changes: levelChanges, ZeroAtom: ZeroAtomOf(given, clamped));
    }

    /// <summary>
    /// Why the changes of level an imported <paramref name="state"/> lists cannot be this version's, or null: on the log scale
    /// a shift beyond <see cref="MaximumLogShift"/> (an imported 1e30 had made the reported ratio infinite, which JSON cannot
    /// carry, and the stream was stored before its answer failed).
    /// </summary>
    public string? LevelChangesProblem(SeriesState state) =>
        Transform == SeriesTransform.Log && state.Statistics?.Shifts?.Changes is { } changes && changes.Any(c => c is not null && !(Math.Abs(c.Shift) <= MaximumLogShift))
            ? $"on this version's log scale a level-shift change's shift lies within ±{MaximumLogShift} (a ratio e^shift)"
            : null;

    /// <summary>The largest shift on the log scale: a float series spans less (from 1.4e-45 to 3.4e38 is a log-ratio of 192).</summary>
    public const double MaximumLogShift = 200;

    /// <summary>
    /// The <paramref name="changes"/> the members read, indexed in the history (the members' values start after its
    /// <paramref name="lead"/> missing ones) and on the series' scale (a ratio on the log scale); null when there are none.
    /// </summary>
    IReadOnlyList<LevelChange>? LevelChanges(IReadOnlyList<LevelShiftChange> changes, int lead)
    {
        if (changes.Count == 0) return null;
        bool relative = Transform == SeriesTransform.Log;
        var result = new LevelChange[changes.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = new LevelChange(changes[i].Start + lead, relative ? Math.Exp(changes[i].Shift) : changes[i].Shift, relative);
        return result;
    }

    /// <summary>
    /// The last window's values before the trailing gap as the caller gave them (missing ones NaN), where <paramref name="filled"/>
    /// has a held glitch replaced and the gap filled: whether the history lies outside the model's non-negative domain is
    /// the caller's values' to say. A gap as long as the window had left nothing to say it, so a series with negative
    /// values had been clamped at zero.
    /// </summary>
    float[] Given(SeriesState state, float[] filled)
    {
        var before = ValuesBeforeGap(CollectionsMarshal.AsSpan(state.Window), state.Pending);
        return before.Length >= filled.Length || before.Length > 0 && state.Pending > 0 ? before.ToArray() : filled;
    }

    /// <summary>
    /// Covariate k's last window followed by its future (when known in advance), gap-filled over both as a one-off forecast
    /// fills its history and future together, and its z-score over the history.
    /// </summary>
    (float[] Values, (float Center, float Scale) Stats) CovariateWindow(SeriesState state, int k, IReadOnlyDictionary<string, float[]>? futureCovariates, int steps, string field)
    {
        string name = _covariates[k];
        var track = state.Covariates[k];
        int w = InputWindow, pending = state.Length - track.Settled;
        float[] future = [];
        if (Layout.Future[k])
        {
            if (futureCovariates is null || !futureCovariates.TryGetValue(name, out var f) || f is null || f.Length < steps)
                throw new ArgumentException($"Covariate '{name}' is known in advance: give its next {steps} values.", $"{field}.futureCovariates.{name}");
            foreach (var v in f) if (float.IsInfinity(v)) throw new ArgumentException($"Covariate '{name}' holds an infinite value.", $"{field}.futureCovariates.{name}");
            future = f.Length >= Horizon ? f[..Horizon] : [.. f, .. Enumerable.Repeat(f[^1], Horizon - f.Length)];
        }
        // The last observed value, the trailing gap and the future, filled together (index differences are those of the whole series).
        int lead = track.Settled > 0 ? 1 : 0;
        var open = new float[lead + pending + future.Length];
        if (lead == 1) open[0] = track.Tail[^1];
        open.AsSpan(lead, pending).Fill(float.NaN);
        future.CopyTo(open, lead + pending);
        if (!SeriesMath.FillGaps(open, open)) throw new ArgumentException($"Covariate '{name}' has no observed value.", $"{field}.covariates.{name}");
        var scale = track.Scale;
        if (pending > 0)
        {
            scale = scale.Clone();
            for (int j = 0; j < pending; j++) scale.Add(open[lead + j]);
        }
        var values = new float[w + future.Length];
        int fromTail = Math.Max(0, w - pending);
        track.Tail.CopyTo(track.Tail.Count - fromTail, values, 0, fromTail);
        Array.Copy(open, lead + pending - (w - fromTail), values, fromTail, w - fromTail + future.Length);
        return (values, scale.Result());
    }

    /// <summary>
    /// Forecasts from a state (the horizon defaults to <see cref="Horizon"/>); <paramref name="futureCovariates"/> as in
    /// <see cref="ForecastInput"/>, and <paramref name="seriesId"/> as its <see cref="ForecastInput.Id"/>. Throws
    /// <see cref="ArgumentException"/> when the state cannot be forecast from.
    /// </summary>
    public SeriesForecast Forecast(SeriesState state, IReadOnlyDictionary<string, float[]>? futureCovariates = null, int? horizon = null, string? seriesId = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        int steps = horizon ?? Horizon;
        if (steps < 1 || steps > Horizon) throw new ArgumentOutOfRangeException(nameof(horizon), steps, $"Horizon must be in 1..{Horizon} for this model.");
        if (ForecastProblem(state) is { } problem) throw new ArgumentException(problem, nameof(state));
        // A state built under an id and forecast without one is forecast under that id, its gaps' fill and its mix alike.
        seriesId ??= state.SeriesId;
        if (seriesId is not null && state.SeriesId != seriesId)
        {
            state = state.Clone();
            state.SeriesId = seriesId;
        }
        return ForecastPrepared([OfSeries(Prepare(state, futureCovariates, steps, "series"), seriesId)], steps, default)[0];
    }

    /// <summary>Runs the network on prepared rows as one batch, mixes in the members and decodes.</summary>
    IReadOnlyList<SeriesForecast> ForecastPrepared(IReadOnlyList<Prepared> prepared, int steps, CancellationToken cancellationToken)
    {
        // The alternative readings of surprising last values run in the same batch, after the rows themselves.
        var rows = prepared;
        for (int i = 0; i < prepared.Count; i++)
            if (prepared[i].Alternative is not null) { rows = [.. prepared, .. prepared.Where(p => p.Alternative is not null).Select(p => p.Alternative!)]; break; }
        var (output, scaling) = RunPrepared(rows, cancellationToken);
        for (int i = 0, o = (1 + _quantiles.Length) * Horizon; i < rows.Count; i++)
            if (rows[i].Gap > 0) WidenForGap(output.AsSpan(i * o, o), rows[i].Gap);
        var decoded = Decode(output, scaling, steps, CovariateLevels is null ? null : rows.Select(p => p.Shift).ToArray(), rows.Select(p => p.ClampAtZero).ToArray());
        var forecasts = rows.Count == prepared.Count && decoded is SeriesForecast[] same ? same : new SeriesForecast[prepared.Count];
        for (int i = 0, k = prepared.Count; i < forecasts.Length; i++)
        {
            var forecast = prepared[i].Alternative is null ? decoded[i] : BothReadings(decoded[i], decoded[k++]);
            if (prepared[i].Fixed is { } fixedSteps) forecast = WithFixedSteps(forecast, fixedSteps, prepared[i].ClampAtZero);
            if (prepared[i].ZeroAtom > 0) WithZeroAtom(forecast, prepared[i].ZeroAtom);
            forecasts[i] = prepared[i].Changes is { } changes ? forecast with { LevelChanges = changes } : forecast;
        }
        return forecasts;
    }

    /// <summary>The network's and the members' mixed output for prepared rows ([B, 1 + Q, Horizon], encoded) and each row's scaling.</summary>
    (float[] Output, (float Level, float Scale)[] Scaling) RunPrepared(IReadOnlyList<Prepared> prepared, CancellationToken cancellationToken)
    {
        int b = prepared.Count, w = InputWindow, row = Layout.RowLength;
        var windows = new float[b * w];
        var x = Layout.Plain ? windows : new float[b * row];
        var scaling = new (float Level, float Scale)[b];
        for (int i = 0; i < b; i++)
        {
            prepared[i].Window.CopyTo(windows, i * w);
            if (!Layout.Plain) prepared[i].Row.CopyTo(x, i * row);
            scaling[i] = prepared[i].Scaling;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var output = Predict(x, windows, b);
        if (Statistics is not null) MixStatistics(output, prepared, scaling, windows, cancellationToken);
        return (output, scaling);
    }
}
