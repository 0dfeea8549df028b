using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>An API key's own rate limits (Auth:ApiKeys:N:ForecastPermits, :ForecastPointPermits, :TrainingSubmitPermits) in place of the RateLimits section's.</summary>
public sealed class KeyRateLimitTests
{
    private const string PartnerKey = "partner-key-0123456789", TrialKey = "trial-key-0123456789", PlainKey = "plain-key-0123456789";

    /// <summary>
    /// The section allows one forecast, 10 forecast values and no submit limit an hour; "partner" (write) has 6 forecasts and
    /// no value limit, "trial" (write) 5 forecasts, 20 values and one submit, "plain" (read) none of its own.
    /// </summary>
    private static LstmServiceFactory Start() => new(settings: new Dictionary<string, string?>
    {
        ["RateLimits:ForecastPermits"] = "1",
        ["RateLimits:ForecastPointPermits"] = "10",
        ["RateLimits:ForecastWindowSeconds"] = "3600",
        ["RateLimits:TrainingSubmitWindowSeconds"] = "3600",
        ["Auth:ApiKeys:0:Sha256"] = AuthFixture.Hash(PartnerKey),
        ["Auth:ApiKeys:0:Role"] = "write", // streams store what they are sent
        ["Auth:ApiKeys:0:Name"] = "partner",
        ["Auth:ApiKeys:0:ForecastPermits"] = "6",
        ["Auth:ApiKeys:0:ForecastPointPermits"] = "0",
        // Entries 0, 10 and 3, as a secret has them once keys were taken out: messages name the entries given, not the list's
        // closed-up 0, 1 and 2 (and 10 comes after 3).
        ["Auth:ApiKeys:10:Sha256"] = AuthFixture.Hash(TrialKey),
        ["Auth:ApiKeys:10:Role"] = "write",
        ["Auth:ApiKeys:10:Name"] = "trial",
        ["Auth:ApiKeys:10:ForecastPermits"] = "5",
        ["Auth:ApiKeys:10:ForecastPointPermits"] = "20",
        ["Auth:ApiKeys:10:TrainingSubmitPermits"] = "1",
        ["Auth:ApiKeys:3:Sha256"] = AuthFixture.Hash(PlainKey),
        ["Auth:ApiKeys:3:Role"] = "read",
    });

    private static HttpClient Client(LstmServiceFactory factory, string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static object Series(int count) =>
        new { horizon = 3, series = Enumerable.Range(0, count).Select(_ => new { history = Api.Sine(24) }).ToArray() };

    private static async Task<string> RefusalAsync(HttpResponseMessage response) =>
        (await response.ProblemAsync(HttpStatusCode.TooManyRequests)).GetProperty("detail").GetString()!;

    [Fact]
    public async Task A_keys_own_limits_replace_the_sections_for_its_callers_alone()
    {
        await using var factory = Start();
        var trial = Client(factory, TrialKey);
        await trial.TrainAsync("shared");
        // The trial key's one submit an hour is spent; the 429 names its own setting.
        var second = await trial.PostJsonAsync("/models/other/training-jobs", Api.TinyTraining());
        var detail = await RefusalAsync(second);
        Assert.Contains("At most 1 training submits", detail);
        Assert.Contains("Auth:ApiKeys:10:TrainingSubmitPermits", detail);

        // 5 series x 3 steps = 15 values: over the section's 10, within the trial key's 20 and the partner's unlimited.
        Assert.Equal(HttpStatusCode.OK, (await trial.PostJsonAsync("/models/shared/forecast", Series(5))).StatusCode);
        var partner = Client(factory, PartnerKey);
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.OK, (await partner.PostJsonAsync("/models/shared/forecast", Series(20))).StatusCode);
        var plain = Client(factory, PlainKey);
        var errors = await (await plain.PostJsonAsync("/models/shared/forecast", Series(5))).ValidationErrorsAsync();
        Assert.Contains("may have 10 per 3600 s (RateLimits:ForecastPointPermits)", Assert.Single(errors["series"]));
        errors = await (await trial.PostJsonAsync("/models/shared/forecast", Series(7))).ValidationErrorsAsync();
        Assert.Contains("may have 20 per 3600 s (Auth:ApiKeys:10:ForecastPointPermits)", Assert.Single(errors["series"]));

        // The plain key's one forecast request an hour (the section's) went to the one refused for its values above.
        detail = await RefusalAsync(await plain.PostJsonAsync("/models/shared/forecast", Series(1)));
        Assert.Contains("At most 1 forecasts", detail);
        Assert.Contains("RateLimits:ForecastPermits", detail);

        // The partner's stream opens and appends count against its 6 requests and no values; the 7th request is refused.
        var opened = await partner.PostJsonAsync("/models/shared/streams", new { seriesId = "s", history = Api.Sine(24) });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var stream = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await partner.PostJsonAsync($"/streams/{stream}/observations", new { values = new[] { 10.0 } })).StatusCode);
        detail = await RefusalAsync(await partner.PostJsonAsync("/models/shared/forecast", Series(1)));
        Assert.Contains("At most 6 forecasts", detail);
        Assert.Contains("Auth:ApiKeys:0:ForecastPermits", detail);
    }

    [Theory]
    [InlineData("Auth:ApiKeys:0:ForecastPermits", "-1", "Auth:ApiKeys:0:ForecastPermits must be from 0")]
    [InlineData("Auth:ApiKeys:0:TrainingSubmitPermits", "1000001", "Auth:ApiKeys:0:TrainingSubmitPermits must be from 0")]
    [InlineData("Auth:ApiKeys:1:ForecastPointPermits", "5", "Auth:ApiKeys:1:ForecastPointPermits differs from Auth:ApiKeys:0:ForecastPointPermits")]
    // Not a number: the binder would drop the whole key without a word (with one key, the service would start open).
    [InlineData("Auth:ApiKeys:0:ForecastPermits", "lots", "Auth:ApiKeys:0:ForecastPermits must be a whole number")]
    [InlineData("Auth:ApiKeys:1:TrainingSubmitPermits", "3.5", "Auth:ApiKeys:1:TrainingSubmitPermits must be a whole number")]
    public async Task Bad_or_disagreeing_key_limits_stop_the_service_naming_them(string setting, string value, string message)
    {
        // Two keys of one name (a deployment's "ci" with a read and a write key) share a partition, so their limits must agree.
        var settings = new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0:Sha256"] = AuthFixture.Hash("a"), ["Auth:ApiKeys:0:Role"] = "read", ["Auth:ApiKeys:0:Name"] = "ci",
            ["Auth:ApiKeys:1:Sha256"] = AuthFixture.Hash("b"), ["Auth:ApiKeys:1:Role"] = "write", ["Auth:ApiKeys:1:Name"] = "ci",
            [setting] = value,
        };
        Assert.Contains(message, (await LstmServiceFactory.StartupErrorAsync(settings)).ToString());
    }
}
