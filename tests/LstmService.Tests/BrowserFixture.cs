using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LstmService.Tests;

/// <summary>
/// The service on Kestrel at a loopback port (a browser cannot reach the in-memory TestServer) and a headless Chromium:
/// the usual <see cref="ServiceFixture"/>, with the factory switched to a real socket before it starts.
/// </summary>
public class BrowserFixture : ServiceFixture
{
    private IPlaywright? _playwright;

    public BrowserFixture() : this(settings: null)
    {
    }

    protected BrowserFixture(IDictionary<string, string?>? settings) : base(settings)
    {
    }

    /// <summary>The service's address, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; private set; } = null!;

    public IBrowser? Browser { get; private set; }

    public override async Task InitializeAsync()
    {
        Factory.UseKestrel(0); // port 0: the system picks a free one, so parallel test classes never collide
        Factory.StartServer();
        await base.InitializeAsync();
        var addresses = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        Client.BaseAddress = Address;
        if (ChromiumFactAttribute.ExecutablePath is null) return; // the tests are skipped
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumFactAttribute.ExecutablePath, Headless = true });
    }

    /// <summary>A fresh page (own storage) that records every console error and uncaught exception into <paramref name="errors"/>.</summary>
    public async Task<IPage> NewPageAsync(List<string> errors)
    {
        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString() });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };
        return page;
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}
