using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;

namespace LstmService.Infrastructure;

public static class ServiceRunExtensions
{
    /// <summary>The host's own event for a failed start, which <see cref="RunService"/> reports in its place.</summary>
    private const string HostStartFaulted = "HostedServiceStartupFaulted";

    /// <summary>
    /// The service's web application builder. A settings file that is not valid JSON, or a content root that is not there,
    /// fails before any logger exists: the process had aborted with exit code 134 and a stack trace; it now exits with code
    /// 1 and one critical line (compact JSON when the environment sets Logs__Format=json, the only setting there is to read).
    /// </summary>
    public static WebApplicationBuilder CreateServiceBuilder(string[] args)
    {
        try { return WebApplication.CreateBuilder(ContentRoot.Options(args)); }
        catch (Exception error) when (error is InvalidDataException or IOException or ArgumentException or FormatException
            && Assembly.GetEntryAssembly() == Assembly.GetExecutingAssembly())
        {
            var reason = error switch
            {
                DirectoryNotFoundException => $"The content root '{error.Message}' (--contentRoot, ASPNETCORE_CONTENTROOT or DOTNET_CONTENTROOT) is no directory.",
                _ when error.GetBaseException() is { } cause && cause != error => $"{error.Message.TrimEnd('.')}: {cause.Message}",
                _ => error.Message,
            };
            var json = string.Equals(Environment.GetEnvironmentVariable("Logs__Format"), "json", StringComparison.OrdinalIgnoreCase);
            var configuration = new LoggerConfiguration();
            using (var logger = (json
                       ? configuration.WriteTo.Console(new Serilog.Formatting.Compact.RenderedCompactJsonFormatter())
                       : configuration.WriteTo.Console(outputTemplate: LoggingExtensions.TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)).CreateLogger())
                logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "LstmService").Fatal("The service cannot start: {Reason:l}", reason);
            Environment.Exit(1);
            throw; // not reached
        }
    }

    /// <summary>
    /// Builds the host; a setting read while it is built (Logging:LogLevel, a host option) that cannot be used ends the
    /// process with exit code 1 and one critical line, as <see cref="RunService"/> does for a failed start, where it
    /// crashed with exit code 134 and a stack trace.
    /// </summary>
    public static WebApplication BuildService(this WebApplicationBuilder builder)
    {
        try { return builder.Build(); }
        catch (Exception error) when (error is OptionsValidationException or InvalidOperationException or FormatException or ArgumentException
            && Assembly.GetEntryAssembly() == Assembly.GetExecutingAssembly()
            && ((IHostApplicationBuilder)builder).Properties.TryGetValue(typeof(Serilog.ILogger), out var stored) && stored is Serilog.Core.Logger logger)
        {
            // When another program builds this host (WebApplicationFactory, in a test process), the error is its to see.
            var reason = error is InvalidOperationException && BadLogLevel(builder.Configuration) is { } named ? named
                : error is OptionsValidationException options ? Sentences(options.Failures) : error.Message;
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "LstmService").Fatal("The service cannot start: {Reason:l}", reason);
            logger.Dispose(); // flushes the log
            Environment.Exit(1);
            throw; // not reached
        }
    }

    /// <summary>
    /// The first Logging:LogLevel setting (Logging:LogLevel:Default, Logging:Console:LogLevel:Microsoft, ...) that is no
    /// level, named, or null: the framework's own message ("Configuration value 'Loud' is not supported.") names no setting.
    /// </summary>
    internal static string? BadLogLevel(IConfiguration configuration) =>
        LoggingExtensions.FrameworkLevelSettings(configuration).Where(setting => !setting.IsLevel)
            .Select(setting => $"{setting.Key} must be one of Trace, Debug, Information, Warning, Error, Critical or None (it is '{setting.Value}').")
            .FirstOrDefault();

    /// <summary>
    /// Runs the service until it is stopped and returns the process's exit code: 1 when it cannot start. A bad setting, a
    /// refused start or a port in use is one critical log line naming the setting or the reason; any other start failure is
    /// that line with its stack trace. (Left to <c>app.Run()</c>, a failed start was logged by the host with a stack trace, then
    /// again as an unhandled exception, and the process aborted with 134.)
    /// </summary>
    public static int RunService(this WebApplication app)
    {
        try
        {
            // Every setting checked before the host starts: it resolves its hosted services first, and those that read
            // Storage or ModelCache settings had thrown the first bad one alone, hiding the rest (a QA pass).
            app.Services.GetService<IStartupValidator>()?.Validate();
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception error)
        {
            // Several bad settings arrive together, one exception each.
            var causes = error is AggregateException all ? all.Flatten().InnerExceptions : [error];
            var reason = string.Join(" ", causes.Select(Reason));
            if (causes.All(IsExplained))
                app.Logger.LogCritical("The service cannot start: {Reason:l}", reason);
            else
                app.Logger.LogCritical(error, "The service cannot start: {Reason:l}", reason);
            app.DisposeAsync().AsTask().GetAwaiter().GetResult(); // flushes the log
            // When another program runs this entry point (WebApplicationFactory, in a test process), the error is its to see.
            if (Assembly.GetEntryAssembly() != Assembly.GetExecutingAssembly()) throw;
            return 1;
        }
        app.WaitForShutdown();
        app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return Environment.ExitCode; // 0 unless something on the way out set it, as app.Run() leaves it
    }

    /// <summary>A start failure whose message says it all: a bad setting, a value that is not of its setting's type, a refusal, a port in use or out of range, an address not this machine's.</summary>
    private static bool IsExplained(Exception e) =>
        e is OptionsValidationException or StartupRefusedException || e is IOException { InnerException: AddressInUseException } || IsBadPort(e) || IsForeignAddress(e)
        || e is InvalidOperationException && e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal);

    /// <summary>Kestrel's refusal of a listening address whose port is past 65535 names a parameter, not the setting.</summary>
    private static bool IsBadPort(Exception e) => e is ArgumentOutOfRangeException { ParamName: "port" };

    /// <summary>Kestrel's "Cannot assign requested address" (EADDRNOTAVAIL): an IP address no interface of this machine has.</summary>
    private static bool IsForeignAddress(Exception e) =>
        (e as System.Net.Sockets.SocketException ?? e.InnerException as System.Net.Sockets.SocketException) is { SocketErrorCode: System.Net.Sockets.SocketError.AddressNotAvailable };

    private static string Reason(Exception e) =>
        IsBadPort(e) ? "a listening address (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, --urls or Kestrel:Endpoints) has a port outside 0-65535."
        : IsForeignAddress(e) ? $"{e.Message.TrimEnd('.')}: a listening address (ASPNETCORE_URLS, --urls or Kestrel:Endpoints) names an IP address no network interface of this machine has; listen on 0.0.0.0, [::] or one of its own."
        : e is OptionsValidationException options ? Sentences(options.Failures)
        : e.Message;

    /// <summary>
    /// Failures as sentences, each ending in one full stop: the framework's own message joins them with "; ", which after a
    /// sentence of ours read "(it is 0.9).; The field ..." (a QA pass).
    /// </summary>
    internal static string Sentences(IEnumerable<string> failures) =>
        string.Join(" ", failures.Select(f => f.TrimEnd().EndsWith('.') ? f.TrimEnd() : f.TrimEnd() + "."));

    /// <summary>Whether <paramref name="e"/> is the host's report of a failed start, left out of the log for the line above.</summary>
    public static bool IsHostStartFault(LogEvent e) =>
        e.Level >= LogEventLevel.Error && e.Properties.TryGetValue("EventId", out var id) && id is StructureValue eventId
        && eventId.Properties.Any(p => p.Name == "Name" && p.Value is ScalarValue { Value: HostStartFaulted });
}
