using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Streaming;

/// <summary>One covariate's part of a <see cref="SeriesState"/>: as the target's, with z-score sums.</summary>
public sealed class CovariateState
{
    public string Name { get; set; } = "";
    /// <summary>Values up to the last observed one.</summary>
    public int Settled { get; set; }
    /// <summary>The last settled values, gap-filled.</summary>
    public List<float> Tail { get; set; } = [];
    public ScaleAccumulator Scale { get; set; } = new();

    public CovariateState Clone() => new() { Name = Name, Settled = Settled, Tail = [.. Tail], Scale = Scale.Clone() };
}
