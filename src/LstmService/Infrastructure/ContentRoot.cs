namespace LstmService.Infrastructure;

/// <summary>
/// Where the service reads appsettings.json from. ASP.NET Core takes the working directory, which is right for
/// <c>dotnet run</c> (the project folder) and the container (WORKDIR /app), but <c>dotnet path/to/LstmService.dll</c> from
/// anywhere else would silently start without its settings (log levels, limits). Then the application's own folder is
/// used instead; an explicit content root (argument or environment variable) always wins.
/// </summary>
public static class ContentRoot
{
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        ContentRootPath = Explicit(args) ? null : Choose(Directory.GetCurrentDirectory(), AppContext.BaseDirectory),
    };

    /// <summary>The working directory when it holds the settings file or the application's folder does not; else the application's folder.</summary>
    internal static string? Choose(string workingDirectory, string applicationDirectory) =>
        !File.Exists(Path.Combine(workingDirectory, "appsettings.json")) && File.Exists(Path.Combine(applicationDirectory, "appsettings.json"))
            ? applicationDirectory
            : null;

    private static bool Explicit(string[] args) =>
        args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
        || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 }
        || Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is { Length: > 0 };
}
