namespace LstmService.Tests;

/// <summary>
/// A running service (<see cref="LstmServiceFactory"/>, on its own temporary data directory) and a client on it: the one
/// host setup of the service tests. A test class deriving from it gets a fresh service for every test (xunit creates the
/// class once per test); <c>IClassFixture&lt;ServiceFixture&gt;</c>, or a fixture deriving from it, shares one service
/// across a class's tests.
/// </summary>
public class ServiceFixture : IAsyncLifetime
{
    public ServiceFixture() : this(settings: null)
    {
    }

    /// <param name="settings">Configuration overrides on top of the factory's test defaults.</param>
    protected ServiceFixture(IDictionary<string, string?>? settings) => Factory = new LstmServiceFactory(settings: settings);

    /// <param name="settings">Configuration overrides on top of the factory's test defaults.</param>
    /// <param name="storage">"sqlite", or "postgres" for a PostgreSQL variant of a storage test class (a fresh database).</param>
    protected ServiceFixture(IDictionary<string, string?>? settings, string storage) => Factory = new LstmServiceFactory(settings: settings, storage: storage);

    public LstmServiceFactory Factory { get; }

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Starts the service; a deriving fixture overrides it to add what its tests share (a trained model, say).</summary>
    public virtual Task InitializeAsync()
    {
        Client = Factory.CreateClient();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await Factory.DisposeAsync();
}
