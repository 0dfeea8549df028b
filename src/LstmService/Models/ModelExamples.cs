namespace LstmService.Models;

/// <summary>
/// The registry endpoints' response examples in the OpenAPI document: answers the service gave for the demo model
/// (sunspots, trained on first start; numbers rounded to 5 digits; the version's taken again on 2026-12-04, the registered
/// version, the alias and the weights on 2026-12-07), with the alias production added. <c>OpenApiExampleTests</c> checks that
/// each still has its schema's shape, <c>OpenApiAnswerTests</c> that it has the shape of the service's own answer.
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
              "smoothing": {"name": "ETS(A,A,N)", "season": 1},
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
            "cell": "gru",
            "upperBound": null
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
            "upperBound": null,
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
            "epochsRun": 31,
            "bestEpoch": 21,
            "loss": {
              "initialTrainLoss": 3.9431,
              "finalTrainLoss": 2.4082,
              "trainLossAtBestEpoch": 2.5438,
              "bestValidationLoss": 4.7212,
              "finalValidationLoss": 4.8431
            },
            "backtest": {
              "model": {"rmse": 30.08, "mae": 21.901, "mase": 1.3375, "smape": 36.278, "points": 530},
              "naive": {"rmse": 75.706, "mae": 61.635, "mase": 3.7642, "smape": 87.768, "points": 530},
              "seasonalNaive": {"rmse": 75.706, "mae": 61.635, "mase": 3.7642, "smape": 87.768, "points": 530},
              "seasonLength": 1,
              "intervalCoverage": {"0.1-0.9": 0.8717}
            },
            "series": 1,
            "points": 309,
            "missingValues": 0,
            "lossCurve": {
              "train": [3.9431, 3.815, 3.5442, 3.282, 3.2213, 3.1532, 3.154, 3.0381, 3.0421, 3.0225, 2.9159, 2.8943, 2.7937, 2.6972, 2.7435, 2.7024, 2.6371, 2.6615, 2.5938, 2.5897, 2.5438, 2.5318, 2.5156, 2.4915, 2.4729, 2.4617, 2.4628, 2.4305, 2.4193, 2.4616, 2.4082],
              "validation": [7.2132, 6.7668, 6.3873, 6.129, 5.9596, 5.8812, 5.8237, 5.7007, 5.5618, 5.4923, 5.3444, 5.2604, 5.1258, 4.978, 4.88, 4.8102, 4.7989, 4.7951, 4.7904, 4.7775, 4.7212, 4.7642, 4.7769, 4.8301, 4.817, 4.8138, 4.8229, 4.8158, 4.8166, 4.8365, 4.8431]
            },
            "search": null,
            "classification": null
          },
          "dataFingerprint": "73f5384eb4325e26255eb1026c2396261fd1be5af0abfdbbcb13dd5fde4579a1",
          "weights": {
            "sha256": "01f68a0de916800724f003159f819a276cdcace0b80d7770d003b6aafc75048b",
            "sizeBytes": 340984,
            "format": "lstm-binary"
          },
          "parentVersion": null,
          "maxTrailingGap": 40
        }
        """;

    /// <summary>The 201 answer to <see cref="ModelDescriptions.RegisterVersionExample"/> as the model my-model's first version:
    /// imported, so without training, timing, metrics or fingerprint.</summary>
    public const string RegisteredVersion = """
        {
          "model": "my-model",
          "version": 1,
          "createdAt": "2026-12-07T04:55:30.2195896+00:00",
          "source": "imported",
          "jobId": null,
          "available": true,
          "unavailableReason": null,
          "aliases": [],
          "inputWindow": 8,
          "horizon": 1,
          "quantiles": [],
          "scaling": "windowLevel",
          "architecture": {
            "inputSize": 1, "hiddenSize": 1, "layers": 1, "outputSize": 1, "peepholes": false, "dropout": 0, "parameters": 18,
            "ensembleSize": 1, "strategy": "direct", "seasonLength": 0, "highway": null, "calibrated": false,
            "mergedHiddenSize": 1, "covariates": [], "futureCovariates": [], "transform": "none", "nonNegative": false,
            "statistics": null, "task": "forecasting", "classes": null, "cell": "lstm", "upperBound": null
          },
          "training": null,
          "timing": null,
          "metrics": null,
          "dataFingerprint": null,
          "weights": {
            "sha256": "a412605af384c60d121e325ca31436dd64a0eabe519048b1d307345070e204e3", "sizeBytes": 309,
            "format": "lstm-binary"
          },
          "parentVersion": null,
          "maxTrailingGap": 8
        }
        """;

    /// <summary>PUT /models/sunspots/aliases/production with <see cref="ModelDescriptions.SetAliasExample"/>.</summary>
    public const string Alias = """
        {"model": "sunspots", "alias": "production", "version": 1, "updatedAt": "2026-12-07T04:54:44.8346115+00:00"}
        """;

    /// <summary>The demo version's torch export (?format=torch): each tensor's shape as exported, its data shortened to the first 3
    /// of its values; the forecast settings under "_forecast" whole.</summary>
    public const string Weights = """
        {
          "gru.weight_ih_l0": {"shape": [480, 1], "data": [-0.084862, -0.12254, 0.094296]},
          "gru.weight_hh_l0": {"shape": [480, 160], "data": [0.23493, -0.12142, 0.16853]},
          "gru.bias_ih_l0": {"shape": [480], "data": [0.077388, 0.19224, 0.16337]},
          "gru.bias_hh_l0": {"shape": [480], "data": [0.15076, 0.030945, 0.25743]},
          "head.weight": {"shape": [40, 160], "data": [0.019107, 0.0034431, 0.021211]},
          "head.bias": {"shape": [40], "data": [-0.0081406, 0.00048362, 0.0088292]},
          "highway.weight": {"shape": [10, 31], "data": [0.0025719, 0.01361, -0.063417]},
          "highway.bias": {"shape": [10], "data": [-0.0027002, -0.0057976, -0.0084186]},
          "calibration": {"shape": [3, 10], "data": [-0.63988, -0.68174, -0.72109]},
          "_forecast": {
            "inputWindow": 31,
            "horizon": 10,
            "quantiles": [0.1, 0.5, 0.9],
            "scaling": "windowLevel",
            "strategy": "direct",
            "seasonLength": 1,
            "ensemble": 5,
            "covariates": [],
            "futureCovariates": [],
            "transform": "none",
            "nonNegative": true,
            "correctsStatistics": true,
            "correctionScale": 1,
            "statistics": {
              "smoothing": {"trend": true, "damped": false, "season": 1, "alpha": 0.9999, "beta": 8.9866e-36, "gamma": 0, "phi": 1},
              "theta": {"alpha": 0.0083333, "season": 1, "multiplicative": false},
              "autoregression": {
                "lags": [1, 2, 3, 4, 5, 6, 7, 8],
                "coefficients": [0.19847, -0.20732, -0.36429, -0.19656, -0.28134, -0.26116, -0.19862, -0.2837],
                "differenced": true, "stepLimit": 72.707, "stepUnit": 18.2
              },
              "weights": [0, 0, 0, 0.23076, 0.76924],
              "intervalSpread": 1
            }
          }
        }
        """;
}
