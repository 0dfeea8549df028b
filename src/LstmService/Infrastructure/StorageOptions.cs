using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>Where the registry (SQLite file and weights files) lives. Section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Data directory, relative to the working directory unless absolute; created when missing.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "./data";
}
