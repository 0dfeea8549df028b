
namespace LstmService.Registry;

/// <summary>
/// A resolved version, or why there is none; <paramref name="Reason"/> says what became of a versionless model's training,
/// or, for a version not found, that a queued or running job may yet make it.
/// </summary>
public readonly record struct VersionLookup(VersionLookupStatus Status, VersionRecord? Version, string? Reason = null);
