using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LstmService.Tests;

/// <summary>A browser page of another site may read nothing new and change nothing: state-changing requests carrying its Origin answer 403.</summary>
public sealed class CrossSiteFixture() : ServiceFixture(new Dictionary<string, string?>
{
    ["TrainingQueue:Workers"] = "0",
    ["Auth:AllowedOrigins:0"] = "https://dashboard.example.com",
});

public sealed class CrossSiteTests(CrossSiteFixture fixture) : IClassFixture<CrossSiteFixture>
{
    private static MultipartFormDataContent CsvForm()
    {
        var csv = "t,y\n" + string.Join("\n", Api.Sine(60).Select((v, i) => $"{i},{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        return new MultipartFormDataContent { { new StringContent(csv, Encoding.UTF8, "text/csv"), "file", "data.csv" }, { new StringContent("2"), "horizon" } };
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, HttpContent? content, string? origin, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
        return fixture.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("https://evil.example.com", null)]
    [InlineData("null", null)]
    [InlineData("http://localhost.evil.example.com", null)]
    [InlineData(null, "cross-site")]
    public async Task A_form_post_from_another_site_is_refused_and_queues_nothing(string? origin, string? fetchSite)
    {
        var response = await Send(HttpMethod.Post, "/models/forms/training-jobs", CsvForm(), origin, fetchSite);
        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("Auth:AllowedOrigins", problem.GetProperty("detail").GetString());
        Assert.Equal("[]", await fixture.Client.GetStringAsync("/training-jobs?model=forms"));
    }

    [Fact]
    public async Task A_bodiless_cancel_or_a_delete_from_another_site_is_refused()
    {
        var job = await fixture.Client.SubmitAsync("kept", Api.TinyTraining());
        await (await Send(HttpMethod.Post, $"/training-jobs/{job.Id}/cancel", null, "https://evil.example.com")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await Send(HttpMethod.Delete, "/models/kept", null, "https://evil.example.com")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync("/models/kept")).StatusCode);
        Assert.Contains("\"queued\"", await fixture.Client.GetStringAsync($"/training-jobs/{job.Id}"));
    }

    [Theory]
    [InlineData("http://localhost")]               // the service's own pages (Swagger UI)
    [InlineData("https://dashboard.example.com")]  // Auth:AllowedOrigins
    [InlineData(null)]                             // not a browser: curl, scripts, other services
    public async Task Same_origin_listed_and_non_browser_requests_pass(string? origin)
    {
        var response = await Send(HttpMethod.Post, "/models/ok/training-jobs", CsvForm(), origin, origin is null ? null : "same-origin");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("https://api.example.com", "api.example.com:443", true)] // a proxy forwarding $host:$server_port had been refused
    [InlineData("http://api.example.com", "api.example.com:80", true)]
    [InlineData("https://api.example.com", "api.example.com", true)]
    [InlineData("http://api.example.com", "api.example.com:443", true)] // TLS ended at the proxy: the scheme is not compared
    [InlineData("http://localhost:8080", "localhost:8080", true)]
    [InlineData("https://api.example.com", "api.example.com:8443", false)]
    [InlineData("http://localhost:8080", "localhost", false)]
    [InlineData("https://api.example.com", "api.example.org:443", false)]
    [InlineData("http://[::1]:8080", "[::1]:8080", true)]
    public void A_page_of_this_host_is_told_apart_with_or_without_its_default_port(string origin, string host, bool same)
    {
        Assert.Equal(same, LstmService.Infrastructure.CrossSiteRequestMiddleware.SameHost(new Uri(origin), HostString.FromUriComponent(host)));
    }

    [Fact]
    public async Task Reads_from_another_site_are_not_refused_here()
    {
        // The browser's same-origin policy keeps the answer from the other page; refusing would only break links.
        var response = await Send(HttpMethod.Get, "/models", null, "https://evil.example.com", "cross-site");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("dashboard.example.com")]
    [InlineData("https://dashboard.example.com/app")]
    public async Task An_allowed_origin_that_is_not_an_origin_stops_the_service(string value)
    {
        var error = await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { ["Auth:AllowedOrigins:0"] = value });
        Assert.Contains("Auth:AllowedOrigins:0", error.ToString());
    }
}
