using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>
/// Behind a reverse proxy: the forwarded client address counts (rate limits without keys) only from a proxy the operator
/// named in TrustedProxies.
/// </summary>
public sealed class TrustedProxyTests
{
    /// <summary>Every request arrives from 10.0.0.5, as through a proxy there (the test server has no address of its own).</summary>
    private sealed class FromProxy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate following) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5");
                return following(context);
            });
            next(app);
        };
    }

    private static async Task<HttpStatusCode> ForecastAsync(HttpClient client, string from)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/models/none/forecast")
        {
            Content = new StringContent("""{"series":[{"history":[1,2,3]}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Forwarded-For", from);
        return (await client.SendAsync(request)).StatusCode;
    }

    [Theory]
    [InlineData("TrustedProxies:Addresses:0", "10.0.0.5")]
    [InlineData("TrustedProxies:Networks:0", "10.0.0.0/8")]
    public async Task A_trusted_proxys_clients_each_have_their_own_limit(string setting, string value)
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["RateLimits:ForecastPermits"] = "1", [setting] = value },
            services: s => s.AddTransient<IStartupFilter, FromProxy>());
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, await ForecastAsync(client, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.NotFound, await ForecastAsync(client, "203.0.113.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ForecastAsync(client, "203.0.113.1"));
        // A client that forges the header through the proxy is read from the right: the proxy saw 203.0.113.2.
        Assert.Equal(HttpStatusCode.TooManyRequests, await ForecastAsync(client, "198.51.100.9, 203.0.113.2"));
    }

    [Fact]
    public async Task Without_trusted_proxies_the_header_is_ignored_and_the_proxys_clients_share_its_limit()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["RateLimits:ForecastPermits"] = "1" },
            services: s => s.AddTransient<IStartupFilter, FromProxy>());
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, await ForecastAsync(client, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ForecastAsync(client, "203.0.113.2"));
    }

    [Fact]
    public async Task AspNet_Cores_own_forwarded_headers_switch_stops_the_start_pointing_to_trusted_proxies()
    {
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED reaches the configuration without its prefix; it believes any client's header.
        var error = (await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { ["FORWARDEDHEADERS_ENABLED"] = "true" })).ToString();
        Assert.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED=true makes the service believe X-Forwarded-For from any client", error);
        Assert.Contains("TrustedProxies:Addresses", error);
        await using var off = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["FORWARDEDHEADERS_ENABLED"] = "false" });
        Assert.Equal(HttpStatusCode.OK, (await off.CreateClient().GetAsync("/health/live")).StatusCode);
    }

    [Theory]
    [InlineData(true, "203.0.113.7")]
    [InlineData(false, "10.0.0.5")]
    public async Task The_request_log_names_the_client_a_trusted_proxy_forwards_else_the_proxy(bool trusted, string logged)
    {
        var sink = new CapturingSerilogSink();
        var settings = new Dictionary<string, string?>();
        if (trusted) settings["TrustedProxies:Addresses:0"] = "10.0.0.5";
        await using var factory = new LstmServiceFactory(settings: settings, services: s =>
        {
            s.AddTransient<IStartupFilter, FromProxy>();
            s.AddSingleton<Serilog.ILogger>(new Serilog.LoggerConfiguration().WriteTo.Sink(sink).CreateLogger());
        });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, await ForecastAsync(client, "203.0.113.7"));
        var request = Assert.Single(sink.Events, e => e.Properties.ContainsKey("RequestPath") && e.Properties["RequestPath"].ToString() == "\"/models/none/forecast\"");
        Assert.Equal($"\"{logged}\"", request.Properties["ClientAddress"].ToString());
    }

    [Theory]
    [InlineData("TrustedProxies:Addresses:0", "ingress-nginx", "TrustedProxies:Addresses:0 must be an IP address")] // a name, not an address
    [InlineData("TrustedProxies:Networks:1", "10.0.0.0/33", "TrustedProxies:Networks:1 must be a network in CIDR form")]
    public async Task An_entry_that_does_not_parse_stops_the_start_naming_it(string setting, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { [setting] = value };
        if (setting.EndsWith(":1", StringComparison.Ordinal)) settings["TrustedProxies:Networks:0"] = "10.0.0.0/8";
        var error = (await LstmServiceFactory.StartupErrorAsync(settings)).ToString();
        Assert.Contains(expected, error);
    }
}
