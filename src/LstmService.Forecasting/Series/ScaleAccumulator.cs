namespace LstmService.Forecasting.Series;

/// <summary>
/// The centre and scale of a gap-filled history (<see cref="SeriesMath.Statistics"/>) gathered one value at a time, so a
/// stream extends them in O(1) per value. Window-level scaling sums the absolute steps in order, exactly as
/// <see cref="SeriesMath.Statistics"/> does; the z-score keeps shifted sums (the first value as the shift) instead of the
/// two-pass mean and variance, whose second pass needs the whole history; robust scaling (median and IQR) keeps every
/// value, its sufficient statistic. Forecasts compute their scaling here, so a stream and a one-off forecast agree bit for bit.
/// </summary>
public sealed class ScaleAccumulator
{
    public ScalingMode Mode { get; set; }
    public int Count { get; set; }
    /// <summary>The last value added (window-level: the previous value of the next step).</summary>
    public float Previous { get; set; }
    public double SumAbsSteps { get; set; }
    /// <summary>
    /// Window-level: the sum of the absolute steps between the values as given, where <see cref="SumAbsSteps"/> counts a
    /// glitch as it was read (<see cref="GivenScale"/>); null in a state stored before it was kept (then the same sum).
    /// </summary>
    public double? SumAbsGivenSteps { get; set; }
    /// <summary>The last value added as given (null: <see cref="Previous"/>, as in a state stored before it was kept).</summary>
    public float? PreviousGiven { get; set; }
    /// <summary>Window-level: the steps between values as given that were zero (null in a state stored before it was kept).</summary>
    public int? FlatGivenSteps { get; set; }
    public double Magnitude { get; set; }
    /// <summary>Z-score: the first value, subtracted before summing (keeps the sums small).</summary>
    public double Shift { get; set; }
    public double Sum { get; set; }
    public double SumSquares { get; set; }
    /// <summary>Robust scaling only: every value added.</summary>
    public List<float>? Values { get; set; }

    public static ScaleAccumulator Create(ScalingMode mode) => new() { Mode = mode, Values = mode == ScalingMode.SeriesRobust ? [] : null };

    /// <summary>
    /// Adds <paramref name="v"/>; <paramref name="given"/> (NaN: <paramref name="v"/>) is the value as the history gave it,
    /// which the steps as given count (<see cref="GivenScale"/>). The magnitude (the unit's floor, a ten-thousandth of it)
    /// counts the value as read: a glitch of 1e10 in a history about 50, read as the value expected, had still floored the
    /// unit at 1e6, so the network's correction swamped the forecast (a mean of 0 once clamped, and 0.1-0.9 intervals
    /// 750,000 wide), in a stream for good (a QA pass). Training's floor counts its series as given
    /// (<see cref="Training.ForecastTrainer.ScalingStatistics"/>), whose windows read its spikes.
    /// </summary>
    public void Add(float v, float given = float.NaN)
    {
        float asGiven = float.IsNaN(given) ? v : given;
        switch (Mode)
        {
            case ScalingMode.SeriesZScore:
            {
                if (Count == 0) Shift = v;
                double d = v - Shift;
                Sum += d;
                SumSquares += d * d;
                break;
            }
            case ScalingMode.SeriesRobust:
                Values!.Add(v);
                break;
            default:
            {
                if (Count > 0)
                {
                    // The given sum before this step: a state stored without it had counted its values as given.
                    float step = Math.Abs(asGiven - (PreviousGiven ?? Previous));
                    SumAbsGivenSteps = (SumAbsGivenSteps ?? SumAbsSteps) + step;
                    FlatGivenSteps = (FlatGivenSteps ?? 0) + (step == 0 ? 1 : 0);
                    SumAbsSteps += Math.Abs(v - Previous);
                }
                PreviousGiven = asGiven;
                break;
            }
        }
        Magnitude = Math.Max(Magnitude, Math.Abs(v));
        Previous = v;
        Count++;
    }

    /// <summary>Centre and unit as <see cref="SeriesMath.Statistics"/> defines them (never a zero scale).</summary>
    public (float Center, float Scale) Result()
    {
        if (Count == 0) return (0f, 1f);
        double center, scale;
        switch (Mode)
        {
            case ScalingMode.SeriesZScore:
                center = Shift + Sum / Count;
                scale = Math.Sqrt(Math.Max(0, SumSquares - Sum * Sum / Count) / Count);
                break;
            case ScalingMode.SeriesRobust:
                return SeriesMath.Statistics(Values!.ToArray(), Mode);
            default:
                center = 0;
                scale = Count > 1 ? SumAbsSteps / (Count - 1) : 0;
                break;
        }
        return ((float)center, (float)Math.Max(scale, SeriesMath.ScaleFloor(Magnitude)));
    }

    /// <summary>
    /// Window-level: the mean absolute step of the values as given (0 before two of them, or while they are all equal): what a
    /// glitch is judged against (ForecastModel.Judged). Judged against <see cref="Result"/>'s unit, which counts each glitch as
    /// it was read, the unit fed on itself: in intermittent demand, where the first demand after zeros meets a unit of zero,
    /// every demand was read as a glitch in turn and the unit shrank with each, until a series whose last twenty values
    /// averaged 0.85 was forecast at 0.15.
    /// </summary>
    public double GivenScale() => Count > 1 ? (SumAbsGivenSteps ?? SumAbsSteps) / (Count - 1) : 0;

    /// <summary>
    /// Window-level: whether half the steps between values as given or more were zero (intermittent demand, a count that
    /// rarely moves). Their robust deviation is then zero, and as training's spike rules find no outlier there
    /// (<see cref="Statistics.OutlyingSteps"/>), a forecast tells no glitch: a large order among zeros is the series' own.
    /// </summary>
    public bool MostlyFlat() => Count > 1 && 2 * (FlatGivenSteps ?? 0) >= Count - 1;

    /// <summary>
    /// Window-level: counts the steps of the first values added as <paramref name="read"/> where they had been counted as
    /// <paramref name="counted"/> (the same values, up to the spikes a history's head is read without), in the unit and in the
    /// steps as given alike. Among the first values, before any is judged, a typo of 50 times the level had made the unit
    /// tens of times the series' step, and the intervals as many times too wide.
    /// </summary>
    public void Recount(ReadOnlySpan<double> counted, ReadOnlySpan<double> read)
    {
        if (Mode != ScalingMode.WindowLevel || counted.Length != read.Length || counted.Length > Count) return;
        double change = 0;
        for (int t = 1; t < counted.Length; t++)
            change += Math.Abs((float)read[t] - (float)read[t - 1]) - Math.Abs((float)counted[t] - (float)counted[t - 1]);
        double given = SumAbsGivenSteps ?? SumAbsSteps;
        SumAbsSteps = Math.Max(0, SumAbsSteps + change);
        SumAbsGivenSteps = Math.Max(0, given + change);
    }

    public ScaleAccumulator Clone()
    {
        var copy = (ScaleAccumulator)MemberwiseClone();
        copy.Values = Values is null ? null : [.. Values];
        return copy;
    }

    /// <summary>Why this accumulator cannot belong to a series of <paramref name="mode"/>, or null.</summary>
    public string? Problem(ScalingMode mode)
    {
        if (Mode != mode) return $"scaling is {Mode}, the model's is {mode}";
        // Sums of absolute values and of squares cannot be negative: such a state (edited, or another program's) had been taken,
        // and moved every forecast it made.
        if (Count < 0 || !double.IsFinite(SumAbsSteps) || SumAbsSteps < 0 || SumAbsGivenSteps is { } given && !(given >= 0 && double.IsFinite(given))
            || PreviousGiven is { } previous && !float.IsFinite(previous) || FlatGivenSteps is { } flat && (flat < 0 || flat >= Math.Max(1, Count)) || !double.IsFinite(Magnitude) || Magnitude < 0 || !double.IsFinite(Sum)
            || !double.IsFinite(SumSquares) || SumSquares < 0 || !double.IsFinite(Shift) || !float.IsFinite(Previous))
            return "the scaling sums must be finite, those of absolute values and squares non-negative, the count non-negative, and the flat steps fewer than the values";
        if ((mode == ScalingMode.SeriesRobust) != (Values is not null) || (Values is not null && (Values.Count != Count || !Values.All(float.IsFinite))))
            return "robust scaling keeps exactly its Count finite values (and only robust scaling keeps values)";
        return null;
    }
}
