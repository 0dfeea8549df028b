namespace LstmService.Tests;

/// <summary>Runs apart from (after) the in-process tests: child processes want the cores to themselves.</summary>
[CollectionDefinition(nameof(ServiceProcessCollection), DisableParallelization = true)]
public sealed class ServiceProcessCollection;
