using System.Net;
using System.Text;
using LstmService.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LstmService.Tests;

/// <summary>Error answers that say what went wrong without showing internals: 404 names what is missing, 405 and 415 what is accepted.</summary>
public sealed class ErrorResponseTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Theory]
    [InlineData("/no-such-endpoint")]
    [InlineData("/models/m/versions/latest")]
    public async Task A_path_that_matches_no_endpoint_answers_404_naming_it(string path)
    {
        var problem = await (await fixture.Client.GetAsync(path)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(path, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Every_404_of_the_api_says_what_was_not_found()
    {
        var job = Guid.NewGuid();
        foreach (var (path, expected) in new[]
        {
            ("/models/ghost", "ghost"), ("/models/ghost/versions/7", "ghost"), ("/models/ghost/versions/7/weights", "ghost"),
            ($"/training-jobs/{job}", job.ToString()), ($"/training-jobs/{job}/events", job.ToString()),
        })
        {
            var problem = await (await fixture.Client.GetAsync(path)).ProblemAsync(HttpStatusCode.NotFound);
            Assert.Contains(expected, problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_method_the_path_does_not_take_answers_405_listing_the_allowed_ones()
    {
        var response = await fixture.Client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/models/m"));
        var problem = await response.ProblemAsync(HttpStatusCode.MethodNotAllowed);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("GET", detail);
        Assert.Contains("DELETE", detail);
    }

    [Theory]
    [InlineData("/models/m/forecast", "application/json")]
    [InlineData("/models/m/training-jobs", "multipart/form-data")]
    [InlineData("/models/m/training-jobs", "application/json")]
    [InlineData("/models/m/versions", "application/json")]
    public async Task A_wrong_content_type_answers_415_naming_the_accepted_ones(string path, string accepted)
    {
        var response = await fixture.Client.PostAsync(path, new StringContent("series=1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains(accepted, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_500_shows_no_stack_trace_or_exception_text(string environment)
    {
        const string secret = "internal detail that must not leak";
        await using var factory = new LstmServiceFactory(environment: environment, services: s =>
            s.AddSingleton<IOptions<ForecastOptions>>(_ => throw new InvalidOperationException(secret)));
        var response = await factory.CreateClient().PostAsync("/models/m/forecast",
            new StringContent("""{"series":[{"history":[1,2,3]}]}""", Encoding.UTF8, "application/json"));
        await response.ProblemAsync(HttpStatusCode.InternalServerError);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain(" at ", body);
        Assert.DoesNotContain("stack", body, StringComparison.OrdinalIgnoreCase);
    }
}
