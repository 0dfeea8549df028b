
namespace LstmService.Registry;

/// <summary>
/// A resolved version, or why there is none; <paramref name="Reason"/> says what became of a versionless model's training,
/// for a version not found, that a queued or running job may yet make it, and for a model not found, the name it may have
/// meant (<see cref="ModelRegistry.NearestModelName"/>).
/// </summary>
public readonly record struct VersionLookup(VersionLookupStatus Status, VersionRecord? Version, string? Reason = null);
