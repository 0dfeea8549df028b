using Xunit.Sdk;

namespace LstmService.Tests;

/// <summary>
/// A fact of a storage contract: it runs in the SQLite class that declares it and again in that class's PostgreSQL
/// subclass (<see cref="IRunsOnPostgres"/>), where <see cref="StorageFactDiscoverer"/> skips it with the reason when no
/// PostgreSQL server is available.
/// </summary>
[XunitTestCaseDiscoverer("LstmService.Tests.StorageFactDiscoverer", "LstmService.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StorageFactAttribute : FactAttribute;
