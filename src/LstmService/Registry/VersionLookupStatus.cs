
namespace LstmService.Registry;

public enum VersionLookupStatus { Found, ModelNotFound, VersionNotFound, AliasNotFound, NoVersions }
