namespace LstmService.Forecasts;

/// <summary>The forecast endpoint's OpenAPI example.</summary>
internal static class ForecastDocumentation
{
    /// <summary>Runs as it is against the demo model "sunspots" (trained on first start): the yearly sunspot numbers 1949-2008.</summary>
    public const string Example = $$"""
        {
          "series": [ { "id": "sunspots", "history": [{{SunspotsHistory}}] } ],
          "horizon": 10
        }
        """;

    /// <summary>The last 60 values (1949-2008) of SampleData/sunspots_yearly.csv: more than any input window the demo model may choose.</summary>
    private const string SunspotsHistory =
        "134.7, 83.9, 69.4, 31.5, 13.9, 4.4, 38.0, 141.7, 190.2, 184.8, 159.0, 112.3, 53.9, 37.6, 27.9, 10.2, 15.1, 47.0, 93.8, 105.9, " +
        "105.5, 104.5, 66.6, 68.9, 38.0, 34.5, 15.5, 12.6, 27.5, 92.5, 155.4, 154.6, 140.4, 115.9, 66.6, 45.9, 17.9, 13.4, 29.4, 100.2, " +
        "157.6, 142.6, 145.7, 94.3, 54.6, 29.9, 17.5, 8.6, 21.5, 64.3, 93.3, 119.6, 111.0, 104.0, 63.7, 40.4, 29.8, 15.2, 7.5, 2.9";
}
