
namespace LstmService.Registry;

/// <summary>A resolved version, or why there is none; <paramref name="NoVersionsReason"/> says what became of a versionless model's training.</summary>
public readonly record struct VersionLookup(VersionLookupStatus Status, VersionRecord? Version, string? NoVersionsReason = null);
