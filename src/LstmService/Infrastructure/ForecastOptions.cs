using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>Limits of one forecast request. Section "Forecast".</summary>
public sealed class ForecastOptions
{
    public const string Section = "Forecast";

    [Range(1, 1_000_000)]
    public int MaxSeries { get; set; } = 10_000;

    [Range(1, 10_000_000)]
    public int MaxHistoryLength { get; set; } = 100_000;
}
