using Serilog;

namespace LstmService.Infrastructure;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog, configured from the "Serilog" section, as the only logging provider. (Serilog.AspNetCore is not
    /// restorable here, so the plain Microsoft.Extensions.Logging bridge is used; scopes become event properties.)
    /// </summary>
    public static WebApplicationBuilder AddSerilogLogging(this WebApplicationBuilder builder)
    {
        // The console sink writes and flushes once per event under a lock; redirected output goes through a background writer instead.
        BackgroundConsoleWriter.InstallIfRedirected();
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }
}
