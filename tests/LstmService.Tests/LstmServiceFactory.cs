using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>
/// Hosts the service in memory on its own data directory. A factory creates (and on dispose deletes) a temporary
/// directory unless it is given one, so a test can restart the service on the same directory with a new factory.
/// </summary>
public sealed class LstmServiceFactory : WebApplicationFactory<Program>
{
    private readonly bool _ownsDirectory;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly string _environment;

    /// <param name="environment">The host environment: "Testing" unless a test checks what differs in Development or Production.</param>
    /// <param name="storage">"sqlite" (the data directory) or "postgres": then the registry lives in <paramref name="connectionString"/>'s
    /// database (replicas of one test share it), or in a fresh database on <see cref="TestPostgres"/>'s server dropped at dispose.</param>
    /// <param name="connectionString">With "postgres": an existing database to use (and leave).</param>
    public LstmServiceFactory(string? dataDirectory = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        string environment = "Testing", string storage = "sqlite", string? connectionString = null)
    {
        Storage = storage;
        if (storage == "postgres")
        {
            _ownsDatabase = connectionString is null;
            ConnectionString = connectionString ?? TestPostgres.CreateDatabase();
        }
        _services = services;
        _environment = environment;
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? NewDataDirectory();
        _settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = DataDirectory,
            // Quiet logs. (The test host gives intermediate keys an empty value, so the level is set on the section itself.)
            ["Serilog:MinimumLevel"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.Serilog.AspNetCore.RequestLoggingMiddleware"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",
            ["TrainingQueue:ProgressWriteIntervalMilliseconds"] = "50",
            // No demo job unless a test asks for it (DemoTests), so every other test starts on an empty registry.
            ["Demo:TrainSampleOnFirstStart"] = "false",
            // No rate limits (tests send many requests quickly); RateLimitTests set tiny ones.
            ["RateLimits:ForecastPermits"] = "0",
            ["RateLimits:TrainingSubmitPermits"] = "0",
            ["RateLimits:ForecastPointPermits"] = "0",
        };
        if (ConnectionString is not null)
        {
            _settings["Storage:Provider"] = "postgres";
            _settings["Storage:ConnectionString"] = ConnectionString;
        }
        // A null value takes a setting of the list above back out, so the service's own default applies.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            if (value is null) _settings.Remove(key);
            else _settings[key] = value;
    }

    public string DataDirectory { get; }

    /// <summary>"sqlite" or "postgres".</summary>
    public string Storage { get; }

    /// <summary>The PostgreSQL database's connection string; null with SQLite.</summary>
    public string? ConnectionString { get; }

    private readonly bool _ownsDatabase;

    /// <summary>Whether weights with this hash are stored: a file in the data directory, or a row of the PostgreSQL database.</summary>
    public bool WeightsExist(string sha256) => ConnectionString is null
        ? File.Exists(Path.Combine(DataDirectory, "weights", sha256 + ".lstm"))
        : TestPostgres.Scalar(ConnectionString, "SELECT 1 FROM weights WHERE sha256 = @sha", ("sha", sha256)) is not null;

    /// <summary>The stored weights with this hash, as they are now (whatever has been done to them).</summary>
    public byte[] StoredWeights(string sha256) => ConnectionString is null
        ? File.ReadAllBytes(Path.Combine(DataDirectory, "weights", sha256 + ".lstm"))
        : (byte[])TestPostgres.Scalar(ConnectionString, "SELECT content FROM weights WHERE sha256 = @sha", ("sha", sha256))!;

    /// <summary>Overwrites the stored weights with this hash, as damage to them or a restore from a backup would.</summary>
    public void OverwriteWeights(string sha256, byte[] content)
    {
        // Replaced whole, as a copy put in place is: written in place, the file was empty for a moment, and the background
        // check that caught it then gave "has 0 bytes" as the reason a test expected to say "altered" (a CI run, once).
        var directory = Path.Combine(DataDirectory, "weights");
        if (ConnectionString is null)
        {
            var temporary = Path.Combine(directory, ".tmp-" + sha256);
            File.WriteAllBytes(temporary, content);
            File.Move(temporary, Path.Combine(directory, sha256 + ".lstm"), overwrite: true);
        }
        else TestPostgres.Scalar(ConnectionString, "UPDATE weights SET content = @content WHERE sha256 = @sha", ("content", content), ("sha", sha256));
    }

    /// <summary>
    /// The exception that stops a service started with <paramref name="settings"/> (which must be invalid). When the app's
    /// host fails fast, WebApplicationFactory can lose the race to read its services and throw ObjectDisposedException
    /// instead of the startup error (dotnet/aspnetcore#33494); only that harness race is retried.
    /// </summary>
    public static async Task<Exception> StartupErrorAsync(IDictionary<string, string?> settings)
    {
        Exception error = null!;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            await using var factory = new LstmServiceFactory(settings: settings);
            error = Xunit.Assert.ThrowsAny<Exception>(() => factory.CreateClient());
            if (error is not ObjectDisposedException) break;
        }
        return error;
    }

    public static string NewDataDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "lstmservice-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    private bool _stoppingHostOnly;

    /// <summary>
    /// Stops the service as a process exit would and keeps its storage, so a new factory can start on it: SQLite storage
    /// admits one process per data directory. Disposing this factory later still deletes what it owns.
    /// </summary>
    public async Task StopHostAsync()
    {
        _stoppingHostOnly = true;
        try { await base.DisposeAsync(); }
        finally { _stoppingHostOnly = false; }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDirectory) DeleteDirectory(DataDirectory);
        DropOwnedDatabase();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (_stoppingHostOnly) return;
        if (disposing && _ownsDirectory) DeleteDirectory(DataDirectory);
        if (disposing) DropOwnedDatabase();
    }

    private bool _dropped;

    private void DropOwnedDatabase()
    {
        if (!_ownsDatabase || _dropped || ConnectionString is null) return;
        _dropped = true;
        TestPostgres.DropDatabase(ConnectionString);
    }

    public static void DeleteDirectory(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { /* best effort: a temp directory */ }
    }
}
