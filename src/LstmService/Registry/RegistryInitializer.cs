
namespace LstmService.Registry;

/// <summary>Opens the registry before the server takes requests and before the training workers start.</summary>
internal sealed class RegistryInitializer(ModelRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Open();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
