namespace LstmService.Streams;

/// <summary>
/// The stream endpoints' response examples in the OpenAPI document: the answers the service gave (2026-12-07; the forecasts' quantiles and anomaly bands again on 2026-12-08) to the request
/// examples of <see cref="StreamDocumentation"/> on the demo model (numbers rounded to 5 digits, long arrays shortened).
/// <c>OpenApiExampleTests</c> checks them against the schemas, <c>OpenApiAnswerTests</c> against the service's own answers.
/// </summary>
internal static class StreamExamples
{
    /// <summary>The answer to <see cref="StreamDocumentation.OpenExample"/> on the demo model: the stream, dated like the training series, and
    /// its first forecast (the forecast example's numbers, 2009-2018); nothing scored yet.</summary>
    public const string Opened = """
        {
          "id": "c0de7943bf9248ddbc323d48a27e8695",
          "model": "sunspots",
          "version": 1,
          "seriesId": "sunspots",
          "length": 60,
          "createdAt": "2026-12-07T04:54:45.0727053+00:00",
          "updatedAt": "2026-12-07T04:54:45.0727053+00:00",
          "lastWindow": [111, 104, 63.7, 40.4, 29.8, 15.2, 7.5, 2.9],
          "forecast": {
            "length": 60,
            "mean": [25.203, 62.197, 91.838, 98.393, 88.025, 70.262, 39.536, 18.922, 4.3511, 0],
            "quantiles": {
              "0.1": [0, 11.274, 22.126, 16.457, 0, 0, 0, 0, 0, 0],
              "0.5": [23.644, 61.905, 91.361, 97.372, 89.256, 72.464, 38.998, 16.29, 1.2469, 0],
              "0.9": [63.48, 135.3, 200.79, 228.82, 244.36, 253.91, 228.35, 195.3, 197.52, 225.8]
            },
            "anomalyLower": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            "anomalyUpper": [89.356, 185.86, 273.61, 315.39, 343.97, 357.4, 321.44, 274.92, 278.03, 317.84],
            "timestamps": ["2009-01-01T00:00:00+00:00", "2010-01-01T00:00:00+00:00", "2011-01-01T00:00:00+00:00", "2012-01-01T00:00:00+00:00",
              "2013-01-01T00:00:00+00:00", "2014-01-01T00:00:00+00:00", "2015-01-01T00:00:00+00:00", "2016-01-01T00:00:00+00:00",
              "2017-01-01T00:00:00+00:00", "2018-01-01T00:00:00+00:00"],
            "clampedAtZero": true
          },
          "monitoring": {
            "points": 0,
            "rmse": null,
            "mae": null,
            "mase": null,
            "smape": null,
            "intervalCoverage": {"0.1-0.9": null},
            "byStep": []
          },
          "anomalies": []
        }
        """;

    /// <summary>The stream's forecast after that append (2012-2021), which the append answers and GET /streams/{id} shows.</summary>
    private const string ForecastAfterAppend = """
        {
          "length": 63,
          "mean": [119.04, 102.27, 72.419, 40.399, 26.351, 19.886, 45.436, 82.666, 120.2, 139.64],
          "quantiles": {
            "0.1": [90.769, 73.526, 38.342, 0, 0, 0, 0, 0, 16.091, 3.9599],
            "0.5": [117.72, 102.11, 72.185, 39.86, 27.051, 21.187, 45.083, 80.694, 117.57, 134.43],
            "0.9": [151.39, 143.54, 125.68, 109.29, 115.29, 128.44, 169.36, 214.81, 283.92, 344.67]
          },
          "anomalyLower": [66.059, 44.987, 2.7417, 0, 0, 0, 0, 0, 0, 0],
          "anomalyUpper": [176.1, 172.08, 161.28, 153.84, 162.29, 180.79, 238.39, 302.38, 393.09, 483.55],
          "timestamps": ["2012-01-01T00:00:00+00:00", "2013-01-01T00:00:00+00:00", "2014-01-01T00:00:00+00:00", "2015-01-01T00:00:00+00:00",
            "2016-01-01T00:00:00+00:00", "2017-01-01T00:00:00+00:00", "2018-01-01T00:00:00+00:00", "2019-01-01T00:00:00+00:00",
            "2020-01-01T00:00:00+00:00", "2021-01-01T00:00:00+00:00"],
          "clampedAtZero": true
        }
        """;

    /// <summary>The anomaly that append flagged, which GET /streams/{id} lists.</summary>
    private const string AnomaliesAfterAppend = """
        [{"index": 60, "step": 1, "value": 145, "lower": 0, "upper": 89.356, "flaggedAt": "2026-12-07T04:54:46.7935862+00:00"}]
        """;

    /// <summary>The answer to <see cref="StreamDocumentation.AppendExample"/> on that stream: 145 and 150 scored against the forecasts made
    /// for 2009 and 2011 (the missing 2010 is not scored), 145 flagged above the anomaly interval.</summary>
    public const string Appended = $$$"""
        {
          "id": "c0de7943bf9248ddbc323d48a27e8695",
          "length": 63,
          "forecast": {{{ForecastAfterAppend}}},
          "scored": [
            {
              "index": 60, "step": 1, "value": 145, "forecast": 25.203, "absoluteError": 119.8, "scaledError": 4.707,
              "inIntervals": []
            },
            {
              "index": 62, "step": 3, "value": 150, "forecast": 91.838, "absoluteError": 58.162, "scaledError": 2.2853,
              "inIntervals": ["0.1-0.9"]
            }
          ],
          "anomalies": {{{AnomaliesAfterAppend}}}
        }
        """;

    /// <summary>GET /streams/{id} after that append (lastWindow shortened to its last 8 of 31 values).</summary>
    public const string Stream = $$$"""
        {
          "id": "c0de7943bf9248ddbc323d48a27e8695",
          "model": "sunspots",
          "version": 1,
          "seriesId": "sunspots",
          "length": 63,
          "createdAt": "2026-12-07T04:54:45.0727053+00:00",
          "updatedAt": "2026-12-07T04:54:46.7935862+00:00",
          "lastWindow": [40.4, 29.8, 15.2, 7.5, 2.9, 145, null, 150],
          "forecast": {{{ForecastAfterAppend}}},
          "monitoring": {
            "points": 2,
            "rmse": 94.165,
            "mae": 88.98,
            "mase": 3.4961,
            "smape": 94.435,
            "intervalCoverage": {"0.1-0.9": 0.5},
            "byStep": [
              {"step": 1, "points": 1, "rmse": 119.8, "mae": 119.8, "mase": 4.707, "intervalCoverage": {"0.1-0.9": 0}},
              {"step": 3, "points": 1, "rmse": 58.162, "mae": 58.162, "mase": 2.2853, "intervalCoverage": {"0.1-0.9": 1}}
            ]
          },
          "anomalies": {{{AnomaliesAfterAppend}}}
        }
        """;

    /// <summary>GET /streams/{id}/state after that append (tail, window, head, recent and the network's hidden state shortened). The
    /// classical members' filters stay zero until their head (about 1/α values) is complete.</summary>
    public const string State = """
        {
          "model": "sunspots",
          "version": 1,
          "seriesId": "sunspots",
          "series": {
            "length": 63,
            "settled": 63,
            "tail": [63.7, 40.4, 29.8, 15.2, 7.5, 2.9, 145, 147.5],
            "window": [40.4, 29.8, 15.2, 7.5, 2.9, 145, null, 150],
            "scale": {
              "mode": "windowLevel", "count": 62, "previous": 147.5, "sumAbsSteps": 1646.2, "sumAbsGivenSteps": 1646.2,
              "previousGiven": 147.5, "flatGivenSteps": 0, "magnitude": 190.2, "shift": 0, "sum": 0, "sumSquares": 0,
              "values": null
            },
            "statistics": {
              "count": 62,
              "head": [134.7, 83.9, 69.4, 31.5, 13.9, 4.4],
              "recent": [63.7, 40.4, 29.8, 15.2, 7.5, 2.9, 145, 147.5],
              "first": 134.7,
              "sum": 4577.5,
              "level": 0,
              "trend": 0,
              "seasonal": [0],
              "theta": {
                "weighted": [0], "weightedOnes": [0], "sums": [0], "timeSums": [0], "times": [0], "counts": [0], "timeTotal": 0,
                "timeSquares": 0, "decomposition": [0], "decompositionCounts": [0], "initialSums": [0], "initialCounts": [0],
                "initialCount": 0
              },
              "shifts": {
                "errorSum": 0,
                "errorCount": 0,
                "up": {"sum": 0, "start": 0, "errors": 0, "peak": 0, "peakAt": 0, "held": 0, "onset": 0, "onsetError": 0, "before": 0},
                "down": {"sum": 0, "start": 0, "errors": 0, "peak": 0, "peakAt": 0, "held": 0, "onset": 0, "onsetError": 0, "before": 0},
                "upJumpAt": 0,
                "downJumpAt": 0,
                "changes": []
              }
            },
            "covariates": [],
            "held": 150,
            "lead": 0
          },
          "issued": [
            {
              "origin": 60,
              "mean": [25.203, 62.197, 91.838, 98.393, 88.025, 70.262, 39.536, 18.922, 4.3511, 0],
              "bands": [
                [0, 11.274, 22.126, 16.457, 0, 0, 0, 0, 0, 0],
                [63.48, 135.3, 200.79, 228.82, 244.36, 253.91, 228.35, 195.3, 197.52, 225.8]
              ],
              "lower": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
              "upper": [89.356, 185.86, 273.61, 315.39, 343.97, 357.4, 321.44, 274.92, 278.03, 317.84]
            },
            {
              "origin": 63,
              "mean": [119.04, 102.27, 72.419, 40.399, 26.351, 19.886, 45.436, 82.666, 120.2, 139.64],
              "bands": [
                [90.769, 73.526, 38.342, 0, 0, 0, 0, 0, 16.091, 3.9599],
                [151.39, 143.54, 125.68, 109.29, 115.29, 128.44, 169.36, 214.81, 283.92, 344.67]
              ],
              "lower": [66.059, 44.987, 2.7417, 0, 0, 0, 0, 0, 0, 0],
              "upper": [176.1, 172.08, 161.28, 153.84, 162.29, 180.79, 238.39, 302.38, 393.09, 483.55]
            }
          ],
          "naiveScale": 25.451,
          "futureCovariates": null,
          "network": {"hidden": [[0.60249, 0.43024, 0.98833, 0.31798, -0.98005, -0.9014]], "cell": null},
          "alias": null,
          "recent": [40.4, 29.8, 15.2, 7.5, 2.9, 145, null, 150],
          "timing": {"frequency": "P1Y", "index": 59, "time": "2008-01-01T00:00:00+00:00", "monthDay": 1}
        }
        """;

    /// <summary>The demo version's monitoring with Monitoring:AutoRetrain, after a second stream opened through the alias production
    /// had values around 200 appended: two drift episodes, the first with a challenger (version 2) that lost; byStep shortened to 3 of 10 steps.
    /// Measured with a rule of 20 scores; since 2026-12-07 the rule reads DriftObservations x horizon scores, shown as
    /// Monitoring:DriftObservations 10 at this horizon of 10 (100 scores a window, four windows within the 557 scores online).</summary>
    public const string Monitoring = """
        {
          "model": "sunspots",
          "version": 1,
          "window": 1000,
          "streams": 2,
          "anomalies": 2,
          "online": {
            "points": 557,
            "rmse": 35.98,
            "mae": 17.59,
            "mase": 0.69114,
            "smape": 12.317,
            "intervalCoverage": {"0.1-0.9": 0.94075},
            "byStep": [
              {"step": 1, "points": 61, "rmse": 30.484, "mae": 12.467, "mase": 0.48985, "intervalCoverage": {"0.1-0.9": 0.93443}},
              {"step": 2, "points": 59, "rmse": 32.738, "mae": 16.46, "mase": 0.64674, "intervalCoverage": {"0.1-0.9": 0.89831}},
              {"step": 10, "points": 51, "rmse": 25.86, "mae": 12.5, "mase": 0.49115, "intervalCoverage": {"0.1-0.9": 1}}
            ]
          },
          "backtest": {"rmse": 30.08, "mae": 21.901, "mase": 1.3375, "smape": 36.278, "points": 530, "intervalCoverage": {"0.1-0.9": 0.8717}},
          "maseRatio": 0.51673,
          "maeRatio": 0.80318,
          "drift": {
            "flagged": false, "since": null, "ratio": null, "factor": 1.5, "observations": 10, "autoRetrain": true,
            "notJudged": null, "episodes": 2, "currentRatio": 0.61342, "scores": 100, "scoresSoFar": 100, "valuesSoFar": null
          },
          "decisions": [
            {
              "kind": "drift", "episode": 1, "at": "2026-12-07T04:54:56.906873+00:00",
              "summary": "Online MASE 3.291 over the latest 10 values (100 scores) is 2.461 times the backtest's 1.338 (factor 1.5).",
              "ratio": 2.4608, "observations": 10, "onlineMase": 3.2914, "backtestMase": 1.3375, "jobId": null, "alias": null,
              "streams": null, "champion": null, "challenger": null, "championMae": null, "challengerMae": null,
              "comparedValues": null, "aliasMoved": null, "won": null, "scores": 100
            },
            {
              "kind": "retrain", "episode": 1, "at": "2026-12-07T04:54:56.906873+00:00",
              "summary": "Challenger queued: a warm start of version 1 on the recent values of 1 of its 2 streams (the others hold too few values, or too few since the last challenger), the last 24 of each kept for the comparison.",
              "ratio": null, "observations": null, "onlineMase": null, "backtestMase": null,
              "jobId": "06fee395-4f28-4165-97c7-f5445ed860f6", "alias": "production",
              "streams": ["c0de7943bf9248ddbc323d48a27e8695", "7837b14fb27f4f6d8d21a63f70a692bf"], "champion": 1,
              "challenger": null, "championMae": null, "challengerMae": null, "comparedValues": null, "aliasMoved": null,
              "won": null, "scores": null
            },
            {
              "kind": "challenge", "episode": 1, "at": "2026-12-07T04:54:57.0442984+00:00",
              "summary": "On the last 24 recent values of each stream (47 forecast values): champion 1 MAE 26.02, challenger 2 MAE 35.18. The challenger lost (it needs an MAE at least 5% below the champion's): no alias moved.",
              "ratio": null, "observations": null, "onlineMase": null, "backtestMase": null,
              "jobId": "06fee395-4f28-4165-97c7-f5445ed860f6", "alias": "production", "streams": null, "champion": 1,
              "challenger": 2, "championMae": 26.021, "challengerMae": 35.181, "comparedValues": 47, "aliasMoved": false,
              "won": false, "scores": null
            },
            {
              "kind": "cleared", "episode": 1, "at": "2026-12-07T04:54:57.0442984+00:00",
              "summary": "The challenger lost: the drift rule judges version 1 again on values scored from now on, and a drift may queue another challenger (Monitoring:MaxChallengers).",
              "ratio": null, "observations": null, "onlineMase": null, "backtestMase": null, "jobId": null, "alias": null,
              "streams": null, "champion": null, "challenger": null, "championMae": null, "challengerMae": null,
              "comparedValues": null, "aliasMoved": null, "won": null, "scores": null
            },
            {
              "kind": "drift", "episode": 2, "at": "2026-12-07T04:54:57.1635072+00:00",
              "summary": "Online MASE 3.681 over the latest 10 values (100 scores) is 2.752 times the backtest's 1.338 (factor 1.5).",
              "ratio": 2.7522, "observations": 10, "onlineMase": 3.6812, "backtestMase": 1.3375, "jobId": null, "alias": null,
              "streams": null, "champion": null, "challenger": null, "championMae": null, "challengerMae": null,
              "comparedValues": null, "aliasMoved": null, "won": null, "scores": 100
            },
            {
              "kind": "cleared", "episode": 2, "at": "2026-12-07T04:54:57.3112017+00:00",
              "summary": "Online MASE 1.033 over the latest 10 values (100 scores) scored since the flag is 0.7722 times the backtest's 1.338, within the factor 1.5: the drift has cleared.",
              "ratio": 0.77222, "observations": 10, "onlineMase": 1.0329, "backtestMase": 1.3375, "jobId": null, "alias": null,
              "streams": null, "champion": null, "challenger": null, "championMae": null, "challengerMae": null,
              "comparedValues": null, "aliasMoved": null, "won": null, "scores": 100
            }
          ]
        }
        """;
}
