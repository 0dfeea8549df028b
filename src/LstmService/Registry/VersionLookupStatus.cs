using static LstmService.Registry.RegistryDatabase;

namespace LstmService.Registry;

public enum VersionLookupStatus { Found, ModelNotFound, VersionNotFound, AliasNotFound, NoVersions }
