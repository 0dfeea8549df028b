using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;

namespace LstmService.Infrastructure;

public static class LoggingExtensions
{
    /// <summary>Default text line: time, level, category, message, then the event's properties as JSON.</summary>
    public const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}";

    /// <summary>
    /// Serilog (Serilog.AspNetCore) as the only logging provider: levels, enrichers and any extra sinks from the "Serilog"
    /// section, the console sink here in the format Logs:Format names (text, or compact JSON). When standard output is
    /// redirected (a container's log pipe) events are formatted by <see cref="ConsoleLineSink"/> and written through
    /// <see cref="BackgroundConsoleWriter"/>, so a request never waits on the pipe.
    /// </summary>
    public static WebApplicationBuilder AddSerilogLogging(this WebApplicationBuilder builder)
    {
        var redirected = BackgroundConsoleWriter.InstallIfRedirected();
        builder.Services.AddValidatedOptions<LogOptions>(LogOptions.Section);
        // Read here, before the host exists, so the first events are formatted too; an invalid value is refused by ValidateOnStart.
        var options = builder.Configuration.GetSection(LogOptions.Section).Get<LogOptions>() ?? new LogOptions();
        // A bad Serilog setting ("Loud" as a level, a misspelled sink) is refused at start in one line, as every other
        // setting is; until then the defaults log.
        var configuration = SerilogSettingsReader.Read(builder.Configuration, out var refusal);
        if (refusal is not null) builder.Services.AddOptions<LogOptions>().Validate(_ => false, refusal);
        configuration = configuration
            // The service pushes nothing onto the log context (ASP.NET Core's scopes reach only events logged through
            // Microsoft.Extensions.Logging), which RequestLineWriter, writing request lines without this enricher, relies on.
            .Enrich.FromLogContext()
            .Enrich.With<QueryStringRedactor>()
            // A failed start is logged once, by ServiceRunExtensions.RunService, not also by the host.
            .Filter.ByExcluding(ServiceRunExtensions.IsHostStartFault)
            // Kestrel's error about a body left mid-read by the stop, whose request got its deliberate 503.
            .Filter.ByExcluding(StoppingExceptionHandler.IsDrainOfAnsweredRequest);
        if (redirected is not null)
        {
            // A container's log pipe or a file: formatted on the logging thread, written in large chunks (ConsoleLineSink).
            ITextFormatter formatter = options.IsJson ? new RenderedCompactJsonFormatter() : new RequestLineFormatter();
            configuration = configuration.WriteTo.Sink(new ConsoleLineSink(formatter, redirected, options.IsJson));
        }
        else
        {
            // A terminal (colours): the console sink formats and writes under one lock; behind the async wrapper a single
            // background thread does both, so concurrent requests never queue on it. A full buffer blocks rather than
            // dropping events (the log is the audit trail), and disposing the logger at shutdown flushes what is buffered.
            configuration = configuration.WriteTo.Async(sink =>
            {
                if (options.IsJson) sink.Console(new RenderedCompactJsonFormatter());
                else sink.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }, bufferSize: 10_000, blockWhenFull: true);
        }
        var logger = configuration.CreateLogger();
        // Serilog is the only provider, so the framework's own level settings change nothing: an operator setting
        // Logging__LogLevel__Default=Debug had seen no change and no word why.
        foreach (var ignored in IgnoredLevelSettings(builder.Configuration))
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "LstmService")
                .Warning("{Setting:l} has no effect: Serilog sets the levels (Serilog:MinimumLevel:Default, Serilog:MinimumLevel:Override:<category>)", ignored);
        // The service sets Kestrel's body limit from its own setting, over Kestrel's: an operator raising it had seen 413s
        // go on without a word why.
        foreach (var (setting, instead) in OverriddenServerSettings(builder.Configuration))
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "LstmService")
                .Warning("{Setting:l} has no effect: {Instead:l} sets it", setting, instead);
        // For a failure while the host is built, before it has a logger to report it (ServiceRunExtensions.BuildService).
        ((IHostApplicationBuilder)builder).Properties[typeof(Serilog.ILogger)] = logger;
        // Where the console sink is the only place events go and nothing changes them, the request line skips the pipeline.
        if (redirected is not null && RequestLineWriter.Applies(builder.Configuration))
            builder.Services.AddSingleton(new RequestLineWriter(redirected, logger, options.IsJson));
        // Serilog as the logging provider of the usual logger factory (so a provider a host adds still receives events), not
        // the static Log.Logger: each host (tests run several in one process) owns and disposes its logger.
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        builder.Services.AddSingleton<Serilog.ILogger>(logger);
        return builder;
    }

    /// <summary>The framework's level settings given (Logging:LogLevel:Default, Logging:Console:LogLevel:Microsoft, ...) and whether each names a level.</summary>
    internal static IEnumerable<(string Key, string Value, bool IsLevel)> FrameworkLevelSettings(IConfiguration configuration) =>
        configuration.GetSection("Logging").AsEnumerable()
            .Where(setting => setting.Value is not null && setting.Key.Split(':') is { Length: >= 3 } parts && parts[^2].Equals("LogLevel", StringComparison.OrdinalIgnoreCase))
            .Select(setting => (setting.Key, setting.Value!, Enum.TryParse<LogLevel>(setting.Value, ignoreCase: true, out _)));

    /// <summary>The framework's level settings that name a level (one that names none stops the start, ServiceRunExtensions.BadLogLevel).</summary>
    internal static IEnumerable<string> IgnoredLevelSettings(IConfiguration configuration) =>
        FrameworkLevelSettings(configuration).Where(s => s.IsLevel).Select(s => s.Key).Order(StringComparer.Ordinal);

    /// <summary>Kestrel's settings the service sets from its own (given, they change nothing), each with the setting that does.</summary>
    internal static IEnumerable<(string Setting, string Instead)> OverriddenServerSettings(IConfiguration configuration) =>
        configuration["Kestrel:Limits:MaxRequestBodySize"] is null ? [] : [("Kestrel:Limits:MaxRequestBodySize", "RequestLimits:MaxBodyBytes")];

    /// <summary>One event per request (<see cref="RequestLog"/>): Information, Error for a 5xx or an exception.</summary>
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseMiddleware<RequestLoggingMiddleware>(app.Services.GetRequiredService<Serilog.ILogger>());
        return app;
    }
}
