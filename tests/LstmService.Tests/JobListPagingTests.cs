using System.Net;
using System.Net.Http.Json;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// GET /training-jobs pages newest first: a page with more behind it links to the next (Link, rel="next", before = its last job), the pages
/// together list every job once, filters carry over, and an unknown cursor is a 400 naming before.
/// </summary>
public class JobListPagingTests
{
    /// <summary>"sqlite" here, "postgres" in the PostgreSQL variant.</summary>
    protected virtual string Storage => "sqlite";

    private static string? Next(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var links) && links.Single() is var link && link.EndsWith("; rel=\"next\"", StringComparison.Ordinal)
            ? link[1..link.IndexOf('>')] : null;

    [StorageFact]
    public async Task Pages_follow_their_next_links_through_every_job_once()
    {
        // Workers 0: the jobs stay queued, so each page is what was submitted, in order.
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0" }, storage: Storage);
        var client = factory.CreateClient();
        var submitted = new List<Guid>();
        for (var i = 0; i < 7; i++) submitted.Add((await client.SubmitAsync(i % 2 == 0 ? "even" : "odd", Api.TinyTraining())).Id);
        submitted.Reverse(); // newest first

        var seen = new List<Guid>();
        var pages = 0;
        for (var url = "/training-jobs?limit=3"; url is not null; pages++)
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<TrainingJobResponse[]>(Api.Json))!;
            seen.AddRange(page.Select(j => j.Id));
            url = Next(response);
            // Only a page with more behind it links on; the last one does not.
            Assert.Equal(page.Length == 3, url is not null);
            if (url is not null) Assert.Contains($"before={page[^1].Id}", url);
        }
        Assert.Equal(3, pages);
        Assert.Equal(submitted, seen);

        // The filters carry over to the next page.
        var even = await client.GetAsync("/training-jobs?model=even&limit=2");
        var next = Next(even)!;
        Assert.Contains("model=even", next);
        var last = await client.GetAsync(next);
        var rest = (await last.Content.ReadFromJsonAsync<TrainingJobResponse[]>(Api.Json))!;
        Assert.Equal(submitted.Where((_, k) => (6 - k) % 2 == 0).Skip(2), rest.Select(j => j.Id));
        // A full page that is the last links nowhere (it had linked to an empty page).
        Assert.Equal(2, rest.Length);
        Assert.Null(Next(last));

        // A cursor that names no job is the caller's 400, not an empty page.
        var errors = await (await client.GetAsync($"/training-jobs?before={Guid.NewGuid()}")).ValidationErrorsAsync();
        Assert.Contains("There is no job", Assert.Single(errors["before"]));
    }
}
