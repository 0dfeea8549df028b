namespace LstmService.Forecasts;

/// <summary>The forecast endpoint's OpenAPI examples: the body, and the answers to it and to a bad one.</summary>
internal static class ForecastDocumentation
{
    /// <summary>Runs as it is against the demo model "sunspots" (trained on first start): the yearly sunspot numbers 1949-2008.</summary>
    public const string Example = $$"""
        {
          "series": [ { "id": "sunspots", "history": [{{SunspotsHistory}}] } ],
          "horizon": 10
        }
        """;

    /// <summary>
    /// The demo model's answer to <see cref="Example"/> (numbers rounded to 5 digits): the sunspot cycle's next rise and fall over
    /// 2009-2018, dated because the history is named like the training series (the bundled CSV, 1700-2008).
    /// </summary>
    public const string ResponseExample = """
        {
          "model": "sunspots", "version": 1, "horizon": 10,
          "forecasts": [
            {
              "id": "sunspots",
              "mean": [25.203, 62.197, 91.838, 98.393, 88.025, 70.262, 39.536, 18.922, 4.3511, 0],
              "quantiles": {
                "0.1": [0, 11.274, 22.126, 16.457, 0, 0, 0, 0, 0, 0],
                "0.5": [23.723, 61.904, 91.368, 97.385, 89.249, 72.456, 39.014, 16.309, 1.4354, 0],
                "0.9": [63.48, 135.3, 200.79, 228.82, 244.36, 253.91, 228.35, 195.3, 197.52, 225.8]
              },
              "timestamps": ["2009-01-01T00:00:00+00:00", "2010-01-01T00:00:00+00:00", "2011-01-01T00:00:00+00:00", "2012-01-01T00:00:00+00:00",
                "2013-01-01T00:00:00+00:00", "2014-01-01T00:00:00+00:00", "2015-01-01T00:00:00+00:00", "2016-01-01T00:00:00+00:00",
                "2017-01-01T00:00:00+00:00", "2018-01-01T00:00:00+00:00"],
              "clampedAtZero": true
            }
          ]
        }
        """;

    /// <summary>A forecast asking for more steps than the version's horizon from a history shorter than its input window.</summary>
    public const string ProblemExample = """
        {
          "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
          "title": "One or more validation errors occurred.",
          "status": 400,
          "errors": {
            "horizon": ["Must be in 1..10 (this version's horizon); got 12."],
            "series[0].history": ["Too short: 3 values, but this version's inputWindow is 31."]
          },
          "traceId": "00-ae4c1c4ffafbd22a4aafffbb889012b4-2391a4146d31b9b7-00"
        }
        """;

    /// <summary>The last 60 values (1949-2008) of SampleData/sunspots_yearly.csv: more than any input window the demo model may choose.</summary>
    internal const string SunspotsHistory =
        "134.7, 83.9, 69.4, 31.5, 13.9, 4.4, 38.0, 141.7, 190.2, 184.8, 159.0, 112.3, 53.9, 37.6, 27.9, 10.2, 15.1, 47.0, 93.8, 105.9, " +
        "105.5, 104.5, 66.6, 68.9, 38.0, 34.5, 15.5, 12.6, 27.5, 92.5, 155.4, 154.6, 140.4, 115.9, 66.6, 45.9, 17.9, 13.4, 29.4, 100.2, " +
        "157.6, 142.6, 145.7, 94.3, 54.6, 29.9, 17.5, 8.6, 21.5, 64.3, 93.3, 119.6, 111.0, 104.0, 63.7, 40.4, 29.8, 15.2, 7.5, 2.9";
}
