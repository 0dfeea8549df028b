using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>The console log format. Section "Logs" (levels stay in "Serilog").</summary>
public sealed class LogOptions
{
    public const string Section = "Logs";
    public const string Text = "text";
    public const string Json = "json";

    /// <summary>
    /// <c>text</c> (default): one readable line per event. <c>json</c>: one compact JSON object per line (Serilog's CLEF,
    /// <c>Serilog.Formatting.Compact</c>, with the message rendered), for containers whose log collector parses JSON.
    /// </summary>
    [Required]
    [EchoedSetting]
    [RegularExpression("^(?i:text|json)$", ErrorMessage = "Logs:Format must be 'text' or 'json'.")]
    public string Format { get; set; } = Text;

    public bool IsJson => string.Equals(Format, Json, StringComparison.OrdinalIgnoreCase);
}
