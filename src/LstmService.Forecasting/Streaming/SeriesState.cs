using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Streaming;

/// <summary>
/// What a model needs of one series' history to forecast from it, extended one value at a time
/// (<see cref="Models.ForecastModel.Append"/>) at a cost independent of the history's length: the last values (gap-filled,
/// on the model's transformed scale) the network and the highway read, the last values as given (the "mostly missing"
/// check), the scaling's running sums, the classical members' filter states, and per covariate its last values and
/// z-score sums. Gaps are filled as <see cref="SeriesMath.FillGaps"/> fills them: a value is "settled" (added to the sums
/// and filters) once the next observed value fixes its interpolation; the trailing gap is filled at forecast time, on a copy.
/// The last settled value is held back until the next one shows whether it was an isolated glitch (<see cref="Held"/>).
/// A one-off forecast builds this state over its whole history, so a stream and a one-off forecast agree bit for bit.
/// Plain data (System.Text.Json round-trips it exactly): a stream persists and exports it as it is.
/// </summary>
public sealed class SeriesState
{
    /// <summary>Values appended (the history's length).</summary>
    public int Length { get; set; }
    /// <summary>Values up to the last observed one; those after it are the trailing gap.</summary>
    public int Settled { get; set; }
    /// <summary>The last settled values, gap-filled and transformed (at least the input window's worth).</summary>
    public List<float> Tail { get; set; } = [];
    /// <summary>The last values as given (transformed; NaN = missing, written null in JSON): the input window before the longest trailing gap the model forecasts through (<see cref="Models.ForecastModel.WindowKept"/>).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(MissingAsNullFloatListConverter))]
    public List<float> Window { get; set; } = [];
    public ScaleAccumulator Scale { get; set; } = new();
    /// <summary>The classical members' states (null for a model without them).</summary>
    public StatisticalState? Statistics { get; set; }
    /// <summary>One per covariate, in the model's order.</summary>
    public List<CovariateState> Covariates { get; set; } = [];
    /// <summary>
    /// The last settled value while it waits for the next one to tell a glitch from a change (null: none waits, as in states
    /// exported before it existed): <see cref="Tail"/>, <see cref="Scale"/> and <see cref="Statistics"/> hold the values
    /// before it, and a forecast's mean reads it as given (<see cref="Models.ForecastModel"/>'s held value; one beyond a
    /// glitch's limit from what was expected widens the intervals to that expectation's reading too).
    /// </summary>
    public float? Held { get; set; }
    /// <summary>
    /// Values before the history's first observed one: filled back with it in <see cref="Tail"/> (the network's window may
    /// reach them) but left out of <see cref="Scale"/> and <see cref="Statistics"/>, as training leaves a series' leading
    /// missing values out. 0 in states exported before it existed.
    /// </summary>
    public int Lead { get; set; }

    /// <summary>
    /// The training series' id this history is read as (null: none), so the model's forecasts that fill its gaps mix with
    /// that series' own weights, as its forecast does (a gap had been filled with the weights pooled over every series).
    /// Not stored: a stream sets it from its seriesId whenever it reads its state.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? SeriesId { get; set; }

    /// <summary>The settled values in <see cref="Tail"/>, <see cref="Scale"/> and <see cref="Statistics"/>: all but the held one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Committed => Settled - (Held is null ? 0 : 1);

    /// <summary>The trailing gap's length.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Pending => Length - Settled;

    public SeriesState Clone() => new()
    {
        Length = Length, Settled = Settled, Tail = [.. Tail], Window = [.. Window], Scale = Scale.Clone(), Statistics = Statistics?.Clone(),
        Covariates = Covariates.Select(c => c.Clone()).ToList(), Held = Held, Lead = Lead, SeriesId = SeriesId,
    };

    /// <summary>Appends to <paramref name="list"/>, trimming it back to its last <paramref name="keep"/> values once it doubles (amortised O(1)).</summary>
    internal static void Push<T>(List<T> list, T value, int keep)
    {
        list.Add(value);
        if (list.Count >= 2 * keep) list.RemoveRange(0, list.Count - keep);
    }

    /// <summary>The last <paramref name="count"/> values of <paramref name="list"/>.</summary>
    internal static float[] Last(List<float> list, int count) => list.GetRange(list.Count - count, count).ToArray();
}
