using System.Data.Common;
using LstmService.Infrastructure;

namespace LstmService.Registry;

/// <summary>Opens the registry before the server takes requests and before the training workers start.</summary>
internal sealed class RegistryInitializer(ModelRegistry registry, IRegistryDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            registry.Open();
        }
        catch (Exception e) when (e is DbException or UnauthorizedAccessException)
        {
            // What an operator can fix (an unreachable server, a directory that is not the service's): one line, not a trace.
            throw new StartupRefusedException($"The registry's database ({database.Provider} at {database.Location}) cannot be opened: " +
                $"{StartupRefusedException.Messages(e)}. " + (StorageFullErrors.Is(e)
                    ? "The disk (or the quota) holding it is full: free some space, then start the service again."
                    : database.IsShared
                    ? "Check Storage:ConnectionString and that the server accepts connections from here."
                    : "Check that Storage:DataDirectory is a directory this user may write and holds the service's own files."), e);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
