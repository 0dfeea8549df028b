using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>Loaded models kept for forecasts. Section "ModelCache".</summary>
public sealed class ModelCacheOptions
{
    public const string Section = "ModelCache";

    /// <summary>
    /// Memory budget of the loaded models (their estimated bytes: weights, packed weights, inference workspaces). Over it
    /// the least recently used models are dropped and loaded again from their weights file when next asked for. A model
    /// larger than the whole budget is served but not kept; 0 keeps none.
    /// </summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;
}
