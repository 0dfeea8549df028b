using System.Net;
using LstmService.Infrastructure;

namespace LstmService.Tests;

/// <summary>
/// The service started as <c>dotnet path/to/LstmService.dll</c> from a folder without appsettings.json (the repository's
/// root, say) still reads its own settings: ASP.NET Core's content root would otherwise be that folder.
/// </summary>
[Collection(nameof(ServiceProcessCollection))]
public sealed class ContentRootTests : IDisposable
{
    private readonly string _data = LstmServiceFactory.NewDataDirectory();
    private readonly string _elsewhere = LstmServiceFactory.NewDataDirectory();

    public void Dispose()
    {
        LstmServiceFactory.DeleteDirectory(_data);
        LstmServiceFactory.DeleteDirectory(_elsewhere);
    }

    [Fact]
    public async Task Started_from_another_folder_the_service_reads_its_own_appsettings()
    {
        await using (var service = await ServiceProcess.StartAsync(_data, workingDirectory: _elsewhere))
        {
            Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync("/models/absent")).StatusCode);
            await service.TerminateAsync(TimeSpan.FromSeconds(30));
            // appsettings.json turns ASP.NET Core's own per-request lines down to warnings: one line per request, the service's.
            Assert.DoesNotContain("Request starting", service.Output);
            Assert.Contains("responded 404", service.Output);
        }
        // The data directory is the one given, not under either folder.
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(_data));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_elsewhere));
    }

    [Fact]
    public void The_working_directory_stays_the_content_root_when_it_holds_the_settings()
    {
        var app = AppContext.BaseDirectory;
        Assert.Null(ContentRoot.Choose(app, app));
        Assert.Equal(app, ContentRoot.Choose(_elsewhere, app));
        Assert.Null(ContentRoot.Choose(_elsewhere, _elsewhere));
    }
}
