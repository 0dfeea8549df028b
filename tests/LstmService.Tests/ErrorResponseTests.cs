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
    [InlineData("GET", "/no-such-endpoint")]
    [InlineData("GET", "/models/m/versions/1/nothing")]
    public async Task A_path_that_matches_no_endpoint_answers_404_naming_it(string method, string path)
    {
        var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(path, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("GET", "/models/m/versions/latest", "version", "whole number")]
    [InlineData("DELETE", "/models/m/versions/v1", "version", "whole number")]
    [InlineData("GET", "/models/m/versions/1.5/weights", "version", "whole number")]
    [InlineData("GET", "/models/m/versions/99999999999/monitoring", "version", "whole number")]
    [InlineData("GET", "/training-jobs/42", "id", "GUID")]
    [InlineData("POST", "/training-jobs/not-a-job/cancel", "id", "GUID")]
    [InlineData("GET", "/training-jobs/42/events", "id", "GUID")]
    public async Task A_route_value_of_the_wrong_form_answers_400_naming_it(string method, string path, string field, string rule)
    {
        var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var errors = await response.ValidationErrorsAsync();
        var message = Assert.Single(Assert.Single(errors, e => e.Key == field).Value);
        Assert.Contains(rule, message);
        Assert.Contains($"'{path.Split('/')[path.StartsWith("/models", StringComparison.Ordinal) ? 4 : 2]}'", message);
    }

    [Theory]
    [InlineData("text/event-stream", "GET", "/training-jobs/42/events", null, HttpStatusCode.BadRequest)]
    [InlineData("application/octet-stream", "GET", "/models/m/versions/0/weights", null, HttpStatusCode.BadRequest)]
    [InlineData("text/plain", "GET", "/no-such-endpoint", null, HttpStatusCode.NotFound)]
    [InlineData("text/plain", "PATCH", "/models/m", null, HttpStatusCode.MethodNotAllowed)]
    [InlineData("text/html", "POST", "/v2/models/m/infer", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/xml", "GET", "/models/no-such-model", null, HttpStatusCode.NotFound)]
    public async Task An_accept_header_without_json_still_gets_the_problem_with_its_trace_id(string accept, string method, string path, string? contentType, HttpStatusCode status)
    {
        // No writer had taken these: the pipeline's errors became an empty 500 (two stack traces logged), an endpoint's lost its traceId.
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (contentType is not null) request.Content = new StringContent("x", Encoding.UTF8, contentType);
        var problem = await (await fixture.Client.SendAsync(request)).ProblemAsync(status);
        Assert.StartsWith("00-", problem.GetProperty("traceId").GetString());
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
        // Routing sees the method before a route value's form: a PUT of a version that is no number is still the 405.
        foreach (var path in new[] { "/models/m", "/models/m/versions/latest" })
        {
            var response = await fixture.Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, path));
            var problem = await response.ProblemAsync(HttpStatusCode.MethodNotAllowed);
            var detail = problem.GetProperty("detail").GetString();
            Assert.Contains("GET", detail);
            Assert.Contains("DELETE", detail);
        }
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

    [Fact]
    public async Task A_body_without_a_content_type_answers_415_naming_every_accepted_one()
    {
        var content = new ByteArrayContent("{}"u8.ToArray()); // no Content-Type header at all
        var problem = await (await fixture.Client.PostAsync("/models/m/training-jobs", content)).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Unsupported Media Type", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("application/json", detail);
        Assert.Contains("multipart/form-data", detail);
        Assert.Contains("no Content-Type", detail);
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

    [Theory]
    // Empty, repeated or not a name: each had been looked up as the alias '', 'x,y' or 'über' and answered 404.
    [InlineData("/models/m/forecast?alias=", "1 to 64 ASCII characters")]
    [InlineData("/models/m/forecast?alias=x&alias=y", "Given 2 times: give one alias.")]
    [InlineData("/models/m/classify?alias=%C3%BCber", "no accented or other non-ASCII letters")]
    [InlineData("/models/m/streams?alias=a%20b", "1 to 64 ASCII characters")]
    public async Task A_query_alias_that_is_no_name_answers_400_naming_it(string url, string message)
    {
        var response = await fixture.Client.PostAsync(url, new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Contains(message, Assert.Single((await response.ValidationErrorsAsync())["alias"]));
    }

    [Fact]
    public async Task A_query_number_that_is_no_number_is_not_told_the_types_range()
    {
        // ?limit takes 1..1000: "abc" is told it must be a whole number, not that it must lie in -2147483648..2147483647.
        var errors = await (await fixture.Client.GetAsync("/training-jobs?limit=abc")).ValidationErrorsAsync();
        Assert.Equal("Invalid value 'abc'. Must be a whole number.", Assert.Single(errors["limit"]));
    }
}
