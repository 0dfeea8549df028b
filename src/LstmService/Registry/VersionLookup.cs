
namespace LstmService.Registry;

public readonly record struct VersionLookup(VersionLookupStatus Status, VersionRecord? Version);
