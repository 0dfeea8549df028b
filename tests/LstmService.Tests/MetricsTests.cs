using System.Net;
using System.Net.Http.Json;

namespace LstmService.Tests;

/// <summary>GET /metrics: Prometheus text that parses and moves with the requests, jobs and cache it counts.</summary>
public sealed class MetricsTests : ServiceFixture
{
    private async Task<IReadOnlyList<PrometheusText.Sample>> ScrapeAsync()
    {
        var response = await Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Sum(IReadOnlyList<PrometheusText.Sample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value)).Sum(s => s.Value);

    [Fact]
    public async Task Made_up_request_methods_answer_501_and_add_no_series_to_the_metrics()
    {
        var before = await ScrapeAsync();
        for (var i = 0; i < 20; i++)
        {
            var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod($"M{i:D6}"), "/models"));
            var problem = await response.ProblemAsync(HttpStatusCode.NotImplemented);
            Assert.Contains($"M{i:D6} is no method this service recognises", problem.GetProperty("detail").GetString());
            Assert.Contains("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", problem.GetProperty("detail").GetString());
        }
        // A known method the path does not take is still the 405 naming the ones it does.
        var put = await (await Client.PutAsync("/models", null)).ProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Contains("takes GET", put.GetProperty("detail").GetString());

        var after = await ScrapeAsync();
        Assert.DoesNotContain(after, s => s.Labels.Values.Any(v => v.StartsWith("M0000", StringComparison.Ordinal)));
        var methods = after.Where(s => s.Labels.ContainsKey("method")).Select(s => s.Labels["method"]).Distinct().ToList();
        Assert.All(methods, m => Assert.Contains(m, new[] { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" }));
        Assert.True(after.Count - before.Count < 40, $"{after.Count - before.Count} new samples");
    }

    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_move_with_requests_jobs_and_the_cache()
    {
        var before = await ScrapeAsync();
        Assert.Equal(0, Sum(before, "lstm_training_queue_depth"));
        // Every label value a counter takes is there at 0 before its first event, so increase() sees that event.
        foreach (var source in new[] { "request", "training", "unwritable" })
            Assert.Single(before, s => s.Name == "lstm_storage_full_total" && s.Labels.GetValueOrDefault("source") == source && s.Value == 0);
        foreach (var outcome in new[] { "succeeded", "failed", "cancelled", "requeued", "lease_lost" })
            Assert.Single(before, s => s.Name == "lstm_training_jobs_total" && s.Labels.GetValueOrDefault("outcome") == outcome);
        Assert.Single(before, s => s.Name == "lstm_model_cache_evictions_total" && s.Labels.GetValueOrDefault("reason") == "budget" && s.Value == 0);
        Assert.Single(before, s => s.Name == "lstm_kernel_path_info" && s.Value == 1);

        await Client.TrainAsync("metered");
        var body = new { series = new[] { new { history = Api.Sine(12) }, new { history = Api.Sine(12) } }, horizon = 3 };
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync("/models/metered/forecast", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostJsonAsync("/models/nothing/forecast", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/training-jobs/")).StatusCode);

        var after = await ScrapeAsync();
        Assert.Equal(3, Sum(after, "lstm_forecast_requests_total") - Sum(before, "lstm_forecast_requests_total"));
        Assert.Equal(6, Sum(after, "lstm_forecast_series_total") - Sum(before, "lstm_forecast_series_total"));
        Assert.Equal(18, Sum(after, "lstm_forecast_points_total") - Sum(before, "lstm_forecast_points_total"));
        // Per endpoint (route pattern, never the model's name), method and status.
        Assert.Equal(3, Sum(after, "http_requests_received_total", ("endpoint", "/models/{name}/forecast"), ("code", "200")));
        Assert.Equal(1, Sum(after, "http_requests_received_total", ("endpoint", "/models/{name}/forecast"), ("code", "404")));
        Assert.Equal(3, Sum(after, "http_request_duration_seconds_count", ("endpoint", "/models/{name}/forecast"), ("code", "200")));
        Assert.DoesNotContain(after, s => s.Labels.Values.Contains("metered"));
        // A collection's pattern ends in its group's slash, with or without the client's (the README's table says so).
        foreach (var collection in new[] { "/models/", "/training-jobs/" })
            Assert.Equal(1, Sum(after, "http_requests_received_total", ("endpoint", collection), ("code", "200"))
                - Sum(before, "http_requests_received_total", ("endpoint", collection), ("code", "200")));

        Assert.Equal(1, Sum(after, "lstm_training_jobs_total", ("outcome", "succeeded")));
        Assert.Equal(1, Sum(after, "lstm_training_job_duration_seconds_count", ("outcome", "succeeded")));
        Assert.Equal(1, Sum(after, "lstm_training_jobs", ("state", "succeeded")));
        Assert.Equal(1, Sum(after, "lstm_model_cache_models"));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/metered")).StatusCode);
        var deleted = await ScrapeAsync();
        Assert.Equal(0, Sum(deleted, "lstm_model_cache_models"));
        Assert.Equal(1, Sum(deleted, "lstm_model_cache_evictions_total", ("reason", "deleted")));
    }

    [Fact]
    public async Task Stream_openings_and_appends_are_counted_as_stream_forecasts()
    {
        // Both forecast the version's horizon and count against the forecast limits, but no counter had moved (an operator QA pass).
        var before = await ScrapeAsync();
        foreach (var kind in new[] { "open", "append" })
            Assert.Single(before, s => s.Name == "lstm_stream_forecasts_total" && s.Labels.GetValueOrDefault("kind") == kind);
        await Client.TrainAsync("streamed");
        var opened = await Client.PostJsonAsync("/models/streamed/streams", new { seriesId = "s", history = Api.Sine(40) });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var id = (await opened.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { 10.0 } })).StatusCode);
        // A refused append counts nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostJsonAsync($"/streams/{id}/observations", new { values = Array.Empty<double>() })).StatusCode);

        var after = await ScrapeAsync();
        Assert.Equal(1, Sum(after, "lstm_stream_forecasts_total", ("kind", "open")) - Sum(before, "lstm_stream_forecasts_total", ("kind", "open")));
        Assert.Equal(2, Sum(after, "lstm_stream_forecasts_total", ("kind", "append")) - Sum(before, "lstm_stream_forecasts_total", ("kind", "append")));
    }

    [Fact]
    public async Task Answers_of_the_exception_handler_and_the_request_guards_are_counted_with_their_status()
    {
        var before = await ScrapeAsync();
        // A malformed body is a 400 the exception handler writes; it had been counted as a 200 (the status while it was thrown).
        var malformed = new StringContent("{\"series\":[{\"history\":[1,2,", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync("/models/anything/forecast", malformed)).StatusCode);
        // An encoding the service does not read is refused before any endpoint runs: it had not been counted at all.
        var packed = new ByteArrayContent([1, 2, 3]);
        packed.Headers.ContentType = new("application/json");
        packed.Headers.ContentEncoding.Add("compress");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Client.PostAsync("/models/anything/forecast", packed)).StatusCode);

        var after = await ScrapeAsync();
        double Moved(string code) => Sum(after, "http_requests_received_total", ("endpoint", "/models/{name}/forecast"), ("code", code))
            - Sum(before, "http_requests_received_total", ("endpoint", "/models/{name}/forecast"), ("code", code));
        Assert.Equal(1, Moved("400"));
        Assert.Equal(1, Moved("415"));
        Assert.Equal(0, Moved("200"));
    }

    [Fact]
    public async Task Queue_depth_and_oldest_age_count_waiting_jobs()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0" });
        var client = factory.CreateClient();
        await client.SubmitAsync("waiting", Api.TinyTraining());
        await client.SubmitAsync("waiting", Api.TinyTraining());
        await Task.Delay(1100);
        var samples = PrometheusText.Parse(await client.GetStringAsync("/metrics"));
        Assert.Equal(2, Sum(samples, "lstm_training_queue_depth"));
        Assert.InRange(Sum(samples, "lstm_training_queue_oldest_age_seconds"), 1, 60);
        Assert.Equal(2, Sum(samples, "lstm_training_jobs_submitted_total"));
    }
}
