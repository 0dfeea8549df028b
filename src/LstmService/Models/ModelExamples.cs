namespace LstmService.Models;

/// <summary>
/// The registry endpoints' response examples in the OpenAPI document: answers the service gave for the demo model
/// (sunspots, trained on first start; numbers rounded to 5 digits), with the alias production added.
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
            "aliases": {"production": 1}
          }
        ]
        """;

    public const string Model = """
        {
          "name": "sunspots",
          "createdAt": "2026-11-30T06:03:43.8731731+00:00",
          "latestVersion": 1,
          "versions": [{"version": 1, "createdAt": "2026-11-30T06:03:48.8023964+00:00", "source": "trained", "available": true, "inputWindow": 31, "horizon": 10, "jobId": "2e3349fa-59b8-49d2-8a49-1e5647f4e067"}],
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
            "parameters": 110760,
            "ensembleSize": 5,
            "strategy": "direct",
            "seasonLength": 11,
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
              "weights": {"network": 0.28822, "exponentialSmoothing": 0, "theta": 0, "autoregression": 0.30933, "highway": 0.40244},
              "networkScale": 0,
              "intervalSpread": 1,
              "covariates": null
            }
          },
          "training": {
            "inputWindow": 0,
            "horizon": 10,
            "hiddenSize": 32,
            "layers": 1,
            "dropout": 0,
            "peepholes": false,
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
            "strategy": "direct",
            "futureCovariates": [],
            "statistics": true,
            "transform": null,
            "nonNegative": null,
            "frequency": "P1Y"
          },
          "timing": {
            "frequency": "P1Y",
            "series": [{"id": "sunspots", "start": "1700-01-01T00:00:00+00:00", "end": "2008-01-01T00:00:00+00:00"}]
          },
          "metrics": {
            "epochsRun": 27,
            "bestEpoch": 17,
            "loss": {
              "initialTrainLoss": 4.4848,
              "finalTrainLoss": 2.3073,
              "trainLossAtBestEpoch": 2.6471,
              "bestValidationLoss": 5.3614,
              "finalValidationLoss": 5.6958
            },
            "backtest": {
              "model": {"rmse": 30.952, "mae": 21.827, "mase": 1.0293, "smape": 35.534, "points": 530},
              "naive": {"rmse": 75.706, "mae": 61.635, "mase": 2.9065, "smape": 87.768, "points": 530},
              "seasonalNaive": {"rmse": 39.197, "mae": 29.271, "mase": 1.3803, "smape": 44.267, "points": 530},
              "seasonLength": 11,
              "intervalCoverage": {"0.1-0.9": 0.76604}
            },
            "series": 1,
            "points": 309,
            "missingValues": 0,
            "lossCurve": {
              "train": [4.4848, 4.2089, 3.8954, 3.5974, 3.468, 3.361, 3.3086, 3.1564, 3.1064, 3.0786, 2.9605, 2.9339, 2.8466, 2.7567, 2.7877, 2.7092, 2.6471, 2.6224, 2.5338, 2.5156, 2.4295, 2.4088, 2.3744, 2.3302, 2.3264, 2.3166, 2.3073],
              "validation": [8.9899, 8.0929, 7.3452, 6.8173, 6.4526, 6.172, 5.9995, 5.8351, 5.7274, 5.6597, 5.5066, 5.4975, 5.4513, 5.4078, 5.4384, 5.4047, 5.3614, 5.4745, 5.4098, 5.3894, 5.5067, 5.493, 5.5982, 5.5954, 5.6158, 5.6654, 5.6958]
            },
            "search": null
          },
          "dataFingerprint": "73f5384eb4325e26255eb1026c2396261fd1be5af0abfdbbcb13dd5fde4579a1",
          "weights": {
            "sha256": "6da86730415e7586004361070472c3ab94d83f821cb440cef08af296a6c30e65",
            "sizeBytes": 445182,
            "format": "lstm-binary"
          }
        }
        """;
}
