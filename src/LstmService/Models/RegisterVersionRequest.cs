using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using System.Text.Json;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;

namespace LstmService.Models;

/// <summary>Body of POST /models/{name}/versions: a PyTorch-style state_dict and the forecast settings it was trained with.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterVersionRequest
{
    /// <summary>{"lstm.weight_ih_l0": {"shape": [4H, 1], "data": [...]}, ..., "head.weight": {...}, "head.bias": {...}}: nn.LSTM (batch_first) + nn.Linear named lstm.* and head.*, or nn.GRU named gru.* ({"gru.weight_ih_l0": [3H, I], ...}, gates r, z, n); optionally "highway.weight" [headSteps, inputWindow] and "highway.bias" [headSteps] (a linear map of the scaled window added to every head block) and "calibration" [quantiles, horizon] (offsets added to the quantile blocks), as GET .../weights?format=torch exports them, with the forecast settings under the non-tensor key "_forecast".</summary>
    [Required]
    public JsonElement? StateDict { get; init; }
    /// <summary>Values the model reads per forecast (1..1024). Required unless stateDict carries "_forecast" settings (as exported), with which it must agree.</summary>
    public int? InputWindow { get; init; }
    /// <summary>Steps the head forecasts (1..365); the head has horizon × (1 + number of quantiles) outputs. Required unless stateDict carries "_forecast" settings, with which it must agree.</summary>
    public int? Horizon { get; init; }
    /// <summary>Quantile levels of the head's interval outputs, in increasing order; omitted: those of stateDict's "_forecast", else none (a mean-only head).</summary>
    public IReadOnlyList<double>? Quantiles { get; init; }
    /// <summary>How inputs are scaled; omitted: stateDict's "_forecast" scaling, else windowLevel (as the service trains).</summary>
    public ScalingMode? Scaling { get; init; }
    /// <summary>direct: the head holds all horizon steps; recursive: the head holds one step (1 + quantiles outputs), fed back horizon times. Omitted: stateDict's "_forecast" strategy, else direct.</summary>
    public ForecastStrategy? Strategy { get; init; }
}
