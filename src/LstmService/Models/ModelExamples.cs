namespace LstmService.Models;

/// <summary>
/// The registry endpoints' response examples in the OpenAPI document: answers the service gave for the demo model
/// (sunspots, trained on first start; numbers rounded to 5 digits; the version's taken again on 2026-12-02), with the alias
/// production added. <c>OpenApiExampleTests</c> checks that each still has its schema's shape.
/// </summary>
internal static class ModelExamples
{
    public const string Models = """
        [
          {
            "name": "sunspots",
            "createdAt": "2026-11-30T06:03:43.8731731+00:00",
            "versions": 1,
            "latestVersion": 1,
            "aliases": {"production": 1},
            "defaultVersion": 1
          }
        ]
        """;

    public const string Model = """
        {
          "name": "sunspots",
          "createdAt": "2026-11-30T06:03:43.8731731+00:00",
          "latestVersion": 1,
          "defaultVersion": 1,
          "versions": [{"version": 1, "createdAt": "2026-11-30T06:03:48.8023964+00:00", "source": "trained", "available": true, "inputWindow": 31, "horizon": 10, "jobId": "2e3349fa-59b8-49d2-8a49-1e5647f4e067", "task": "forecasting"}],
          "aliases": {"production": 1}
        }
        """;

    public const string Version = """
        {
          "model": "sunspots",
          "version": 1,
          "createdAt": "2026-11-30T06:03:48.8023964+00:00",
          "source": "trained",
          "jobId": "2e3349fa-59b8-49d2-8a49-1e5647f4e067",
          "available": true,
          "unavailableReason": null,
          "aliases": ["production"],
          "inputWindow": 31,
          "horizon": 10,
          "quantiles": [0.1, 0.5, 0.9],
          "scaling": "windowLevel",
          "architecture": {
            "inputSize": 1,
            "hiddenSize": 32,
            "layers": 1,
            "outputSize": 40,
            "peepholes": false,
            "dropout": 0,
            "parameters": 84680,
            "ensembleSize": 5,
            "strategy": "direct",
            "seasonLength": 1,
            "highway": {"orders": [23, 29, 31], "window": 31, "relative": true, "map": false},
            "calibrated": true,
            "mergedHiddenSize": 160,
            "covariates": [],
            "futureCovariates": [],
            "transform": "none",
            "nonNegative": true,
            "statistics": {
              "smoothing": {"name": "ETS(A,N,N)", "season": 1},
              "thetaSeason": 1,
              "autoregressionLags": [1, 2, 3, 4, 5, 6, 7, 8],
              "weights": {"network": 0, "exponentialSmoothing": 0, "theta": 0, "autoregression": 0.23076, "highway": 0.76924},
              "networkScale": 1,
              "intervalSpread": 1,
              "covariates": null,
              "covariateLevels": null
            },
            "task": "forecasting",
            "classes": null,
            "cell": "gru"
          },
          "training": {
            "inputWindow": 0,
            "horizon": 10,
            "hiddenSize": 32,
            "layers": 1,
            "dropout": 0,
            "peepholes": false,
            "cell": "gru",
            "epochs": 200,
            "batchSize": 32,
            "learningRate": 0.003,
            "weightDecay": 0,
            "clipNorm": 1,
            "validationFraction": 0.2,
            "patience": 10,
            "seed": 42,
            "quantiles": [0.1, 0.5, 0.9],
            "scaling": "windowLevel",
            "seasonLength": 0,
            "ensemble": 5,
            "highway": true,
            "refit": true,
            "calibrate": true,
            "search": false,
            "searchFolds": 3,
            "strategy": "direct",
            "futureCovariates": [],
            "statistics": true,
            "transform": null,
            "nonNegative": null,
            "frequency": "P1Y",
            "parentVersion": null,
            "task": "forecasting",
            "validationSplit": null,
            "classWeights": null
          },
          "timing": {
            "frequency": "P1Y",
            "series": [{"id": "sunspots", "start": "1700-01-01T00:00:00+00:00", "end": "2008-01-01T00:00:00+00:00"}]
          },
          "metrics": {
            "epochsRun": 30,
            "bestEpoch": 20,
            "loss": {
              "initialTrainLoss": 4.5258,
              "finalTrainLoss": 2.3423,
              "trainLossAtBestEpoch": 2.5705,
              "bestValidationLoss": 4.8036,
              "finalValidationLoss": 5.0845
            },
            "backtest": {
              "model": {"rmse": 30.08, "mae": 21.901, "mase": 1.0327, "smape": 36.278, "points": 530},
              "naive": {"rmse": 75.706, "mae": 61.635, "mase": 2.9065, "smape": 87.768, "points": 530},
              "seasonalNaive": {"rmse": 75.706, "mae": 61.635, "mase": 2.9065, "smape": 87.768, "points": 530},
              "seasonLength": 1,
              "intervalCoverage": {"0.1-0.9": 0.86038}
            },
            "series": 1,
            "points": 309,
            "missingValues": 0,
            "lossCurve": {
              "train": [4.5258, 4.3355, 3.8841, 3.5081, 3.4036, 3.3346, 3.3143, 3.1816, 3.165, 3.1384, 3.0371, 3.0098, 2.9061, 2.7982, 2.8433, 2.7745, 2.685, 2.6918, 2.593, 2.5705, 2.4988, 2.4587, 2.431, 2.3794, 2.3646, 2.356, 2.3553, 2.3213, 2.3086, 2.3423],
              "validation": [9.1647, 8.2131, 6.9808, 6.3312, 6.1495, 6.0506, 5.9818, 5.8809, 5.7899, 5.7326, 5.5694, 5.4563, 5.3349, 5.2005, 5.105, 4.9698, 4.968, 4.9337, 4.8249, 4.8036, 4.8452, 4.8453, 4.9794, 5.0026, 5.0382, 5.0521, 5.0843, 5.0696, 5.0667, 5.0845]
            },
            "search": null,
            "classification": null
          },
          "dataFingerprint": "73f5384eb4325e26255eb1026c2396261fd1be5af0abfdbbcb13dd5fde4579a1",
          "weights": {
            "sha256": "2246a2d3c916dfaece1243e3abc84f11da00c11d43571a152b5ee4596df006f0",
            "sizeBytes": 340896,
            "format": "lstm-binary"
          },
          "parentVersion": null
        }
        """;
}
