using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LstmService.Drift;
using LstmService.Models;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>
/// Drift and champion/challenger: a level shift after training flags the version that serves the stream; with
/// Monitoring:AutoRetrain a warm start on the stream's recent values is queued, and the alias moves to it only when it beats
/// the champion on the values held out of its training.
/// </summary>
public partial class DriftTests : IAsyncLifetime
{
    protected virtual string Storage => "sqlite";
    LstmServiceFactory _factory = null!;
    HttpClient _client = null!;
    readonly CapturingLoggerProvider _logs = new();

    Task Start(bool autoRetrain, int observations, int maxChallengers = 3, int retrainEpochs = 30, int recentValues = 500)
    {
        _factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["Streams:RecentValues"] = recentValues.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Monitoring:AutoRetrain"] = autoRetrain ? "true" : "false",
            ["Monitoring:DriftObservations"] = observations.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Monitoring:ComparisonValues"] = "24",
            ["Monitoring:RetrainEpochs"] = retrainEpochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Monitoring:MaxChallengers"] = maxChallengers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, storage: Storage, services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs));
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
    }

    /// <summary>A season of 12 around <paramref name="level"/> with noise, continuing from step <paramref name="from"/>.</summary>
    static float[] Seasonal(int from, int n, double level, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(from, n).Select(t => (float)(level + 10 * Math.Sin(2 * Math.PI * t / 12) + 2 * random.NextDouble())).ToArray();
    }

    /// <summary>The champion: trained on 200 values around 50, on the series' own z-score (so a level far from the training's stays far).</summary>
    async Task<float[]> TrainChampion(string scaling = "seriesZScore", bool dated = false, double? upperBound = null)
    {
        var history = Seasonal(0, 200, 50, 1);
        await _client.TrainAsync("plant", upperBound is not null
            ? new
            {
                seed = 5, series = new[] { new { id = "a", values = history } }, inputWindow = 12, horizon = 3, hiddenSize = 8, epochs = 40,
                batchSize = 16, ensemble = 1, scaling, upperBound,
            }
            : dated
            ? new
            {
                seed = 5, series = new[] { new { id = "a", values = history, start = "2000-01" } }, inputWindow = 12, horizon = 3, hiddenSize = 8, epochs = 40,
                batchSize = 16, ensemble = 1, scaling, frequency = "monthly",
            }
            : (object)new
            {
                seed = 5, series = new[] { new { id = "a", values = history } }, inputWindow = 12, horizon = 3, hiddenSize = 8, epochs = 40,
                batchSize = 16, ensemble = 1, scaling,
            });
        var alias = await _client.PutAsJsonAsync("/models/plant/aliases/prod", new { version = 1 });
        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        return history;
    }

    async Task<string> OpenOnAlias(float[] history)
    {
        var response = await _client.PostAsJsonAsync("/models/plant/streams?alias=prod", new { seriesId = "line-1", history });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    async Task Append(string id, float[] values)
    {
        var response = await _client.PostAsJsonAsync($"/streams/{id}/observations", new { values });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    Task<JsonElement> Monitoring(int version) => _client.GetFromJsonAsync<JsonElement>($"/models/plant/versions/{version}/monitoring", Api.Json);

    /// <summary>Appends one value at a time, as a live feed does: each append forecasts, so every value is scored at each step.</summary>
    async Task Feed(string id, float[] values)
    {
        foreach (var v in values) await Append(id, [v]);
    }

    async Task<TrainingJobResponse[]> Jobs() => (await _client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs?model=plant", Api.Json))!;

    async Task<int> AliasVersion() =>
        (await _client.GetFromJsonAsync<JsonElement>("/models/plant", Api.Json)).GetProperty("aliases").GetProperty("prod").GetInt32();

    /// <summary>The version a forecast that names no version or alias is answered by.</summary>
    async Task<int> DefaultVersion(float[] history)
    {
        var response = await _client.PostAsJsonAsync("/models/plant/forecast", new { series = new[] { new { history = history[^24..] } } });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
    }

    /// <summary>Waits for the champion's comparison decision (the challenger's job trains, then is reviewed).</summary>
    async Task<JsonElement> Challenge()
    {
        for (int i = 0; i < 1200; i++)
        {
            var decisions = (await Monitoring(1)).GetProperty("decisions");
            if (decisions.EnumerateArray().FirstOrDefault(d => d.GetProperty("kind").GetString() == "challenge") is { ValueKind: JsonValueKind.Object } found) return found;
            if ((await Jobs()).Any(j => j.Status is TrainingJobStatus.Failed or TrainingJobStatus.Cancelled)) Assert.Fail("The challenger's job did not succeed: " + decisions);
            await Task.Delay(100);
        }
        throw new TimeoutException("No challenger decision.");
    }

    [Theory]
    [InlineData("Monitoring:DriftFactor", "0.5")]
    [InlineData("Monitoring:DriftObservations", "0")]
    [InlineData("Monitoring:ChallengerMargin", "1")]
    [InlineData("Monitoring:MaxChallengers", "0")]
    public async Task A_drift_setting_out_of_range_stops_the_start_naming_it(string key, string value)
    {
        var error = (await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { [key] = value })).ToString();
        // Named by its configuration path, with the value read (a number; strings are not echoed).
        Assert.Contains(key, error);
        if (value != "") Assert.Contains($"(it is {value})", error);
    }

    [Theory]
    [InlineData("Monitoring:ComparisonValues", "600", "Streams:RecentValues", "500", "Streams:RecentValues is 500")]
    [InlineData("Monitoring:RetrainEpochs", "60", "TrainingQueue:MaxEpochs", "10", "TrainingQueue:MaxEpochs is 10")]
    public async Task A_drift_setting_another_section_makes_unworkable_stops_the_start_naming_both(string key, string value, string other, string otherValue,
        string echoed)
    {
        // With retraining on, both had started without a word: no challenger could ever be trained, or one took more epochs than any job may.
        var error = (await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?>
        {
            [key] = value, [other] = otherValue, ["Monitoring:AutoRetrain"] = "true",
        })).ToString();
        Assert.Contains(key, error);
        Assert.Contains($"(it is {value};", error);
        Assert.Contains(echoed, error);
        // Without retraining no challenger is trained: a small TrainingQueue:MaxEpochs stays a cost cap, and the service starts.
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { [key] = value, [other] = otherValue });
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health/ready")).StatusCode);
    }

    [StorageFact]
    public async Task A_version_whose_window_no_stream_can_hold_before_the_compared_values_is_flagged_without_a_challenger_and_says_why()
    {
        // Window 12 and horizon 3 before 24 compared values: 39 values, where a stream keeps its last 30. The flag had waited
        // for a stream long enough, which could never come, without a decision (an operator QA pass, with a window of 480).
        await Start(autoRetrain: true, observations: 2, recentValues: 30);
        var history = await TrainChampion();
        var id = await OpenOnAlias(history);
        await Feed(id, Seasonal(200, 20, 90, 2));
        var decisions = (await Monitoring(1)).GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(["drift", "retrain"], decisions.Select(d => d.GetProperty("kind").GetString()));
        Assert.Contains("a stream keeps its last Streams:RecentValues (30) values, fewer than the version's window and horizon (15)",
            decisions[1].GetProperty("summary").GetString());
        Assert.Single(await Jobs()); // the champion's alone
    }

    [StorageFact]
    public async Task A_level_shift_flags_the_version_once_and_without_auto_retrain_queues_nothing()
    {
        await Start(autoRetrain: false, observations: 10);
        var history = await TrainChampion();
        var id = await OpenOnAlias(history);
        // Values like the training's first: no flag.
        await Feed(id, Seasonal(200, 12, 50, 2));
        var calm = await Monitoring(1);
        Assert.False(calm.GetProperty("drift").GetProperty("flagged").GetBoolean(), calm.ToString());
        Assert.True(calm.GetProperty("maseRatio").GetDouble() < 1.5, calm.ToString());

        // Then the level moves up by 40.
        await Feed(id, Seasonal(212, 20, 90, 3));
        var drifted = await Monitoring(1);
        var drift = drifted.GetProperty("drift");
        Assert.True(drift.GetProperty("flagged").GetBoolean(), drifted.ToString());
        Assert.True(drift.GetProperty("ratio").GetDouble() > 1.5);
        var decisions = drifted.GetProperty("decisions").EnumerateArray().ToList();
        var flag = Assert.Single(decisions);
        Assert.Equal("drift", flag.GetProperty("kind").GetString());
        // 10 values, each scored at the 3 steps it was forecast at.
        Assert.Equal(10, flag.GetProperty("observations").GetInt32());
        Assert.Equal(30, flag.GetProperty("scores").GetInt32());
        Assert.Equal(drift.GetProperty("ratio").GetDouble(), flag.GetProperty("onlineMase").GetDouble() / flag.GetProperty("backtestMase").GetDouble(), 9);
        Assert.Equal(drifted.GetProperty("backtest").GetProperty("mase").GetDouble(), flag.GetProperty("backtestMase").GetDouble(), 12);
        // The warning says as much as the stored decision: both MASEs, the values scored and the factor.
        var warning = Assert.Single(_logs.Messages, m => m.Contains("drifts", StringComparison.Ordinal));
        Assert.Contains(flag.GetProperty("backtestMase").GetDouble().ToString("G4", System.Globalization.CultureInfo.InvariantCulture), warning);
        Assert.Contains("over the latest 10 values (30 scores)", warning);
        Assert.Contains("(factor 1.5)", warning);

        // Flagged once: more shifted values add no decision; nothing was queued and the alias stays.
        await Feed(id, Seasonal(232, 5, 90, 4));
        Assert.Single((await Monitoring(1)).GetProperty("decisions").EnumerateArray());
        Assert.Single(await Jobs());
        Assert.Equal(1, await AliasVersion());
    }

    [StorageFact]
    public async Task After_a_level_shift_a_challenger_trained_on_the_stream_wins_and_takes_the_alias()
    {
        await Start(autoRetrain: true, observations: 60);
        var history = await TrainChampion();
        var opened = await OpenOnAlias(history);
        // Moved by export and import: the imported stream keeps the alias and the recent values (without them it had moved no
        // alias and its challenger had trained on the last window and what came after).
        var state = await _client.GetFromJsonAsync<JsonElement>($"/streams/{opened}/state", Api.Json);
        Assert.Equal("prod", state.GetProperty("alias").GetString());
        Assert.Equal(history, state.GetProperty("recent").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/streams/{opened}")).StatusCode);
        var imported = await _client.PostAsJsonAsync("/models/plant/streams", new { state });
        Assert.True(imported.StatusCode == HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var id = (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var again = await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}/state", Api.Json);
        Assert.Equal(state.GetProperty("recent").GetRawText(), again.GetProperty("recent").GetRawText());
        // 61 values up by 40, one by one: value n is scored against the forecasts of the 3 appends before it, so the 61st brings
        // the 180th score, a window of 60 values at every step, which flags the version; the challenger trains on the stream's first 237 values (37 shifted).
        await Feed(id, Seasonal(200, 61, 90, 2));
        Assert.True((await Monitoring(1)).GetProperty("drift").GetProperty("flagged").GetBoolean());
        var challenge = await Challenge();
        var jobs = await Jobs();
        Assert.Equal(2, jobs.Length);
        var job = jobs.Single(j => j.Version == 2);
        // The challenger is a warm start of the drifting version.
        var lineage = await _client.GetFromJsonAsync<JsonElement>("/models/plant/versions/2", Api.Json);
        Assert.Equal(1, lineage.GetProperty("parentVersion").GetInt32());
        Assert.Equal(2, challenge.GetProperty("challenger").GetInt32());
        Assert.True(challenge.GetProperty("challengerMae").GetDouble() < challenge.GetProperty("championMae").GetDouble(), challenge.ToString());
        Assert.True(challenge.GetProperty("aliasMoved").GetBoolean());
        Assert.True(challenge.GetProperty("won").GetBoolean());
        Assert.Equal(2, await AliasVersion());
        // The winner is the model's default version too.
        Assert.Equal(2, await DefaultVersion(history));
        var kinds = (await Monitoring(1)).GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["drift", "retrain", "challenge"], kinds);
        var retrain = (await Monitoring(1)).GetProperty("decisions")[1];
        Assert.Equal(job.Id, retrain.GetProperty("jobId").GetGuid());
        Assert.Equal("prod", retrain.GetProperty("alias").GetString());
        Assert.Contains("a warm start of version 1 on the recent values of its stream, the last 24", retrain.GetProperty("summary").GetString());
        // The comparison forecast the stream under its series id, as the stream forecasts (RecentErrorTests).
        var stored = _factory.Services.GetRequiredService<VersionEventStore>().List("plant", 1).Single(d => d.Kind == "retrain");
        Assert.Equal(["line-1"], stored.SeriesIds!);
        // The challenger records the same comparison, as its trial.
        var own = Assert.Single((await Monitoring(2)).GetProperty("decisions").EnumerateArray());
        Assert.Equal("trial", own.GetProperty("kind").GetString());
        Assert.Equal(challenge.GetProperty("championMae").GetDouble(), own.GetProperty("championMae").GetDouble());
    }

    [StorageFact]
    public async Task A_challenger_waits_for_a_stream_long_enough_to_train_and_keeps_the_parents_dates()
    {
        await Start(autoRetrain: true, observations: 2);
        var history = await TrainChampion(dated: true);
        // A stream of 13 values: flagged within a few shifted values, it holds fewer than a window and a horizon (15) before
        // the 24 compared on. The challenger had been queued on it anyway and failed "Too short", the one decision spent.
        var id = await OpenOnAlias(history[^13..]);
        await Feed(id, Seasonal(200, 10, 90, 2));
        var monitoring = await Monitoring(1);
        Assert.True(monitoring.GetProperty("drift").GetProperty("flagged").GetBoolean());
        Assert.Equal(["drift"], monitoring.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("kind").GetString()));
        Assert.Single(await Jobs()); // the champion's alone
        // Long enough (13 + 30 values, 19 observed before the 24 compared on), the challenger is queued and trains.
        await Feed(id, Seasonal(210, 20, 90, 3));
        await Challenge();
        Assert.Contains("retrain", (await Monitoring(1)).GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("kind").GetString()));
        // The parent's series dates stay with the challenger (a history of series "a" is dated as before).
        var parent = (await _client.GetFromJsonAsync<JsonElement>("/models/plant/versions/1", Api.Json)).GetProperty("timing");
        var child = (await _client.GetFromJsonAsync<JsonElement>("/models/plant/versions/2", Api.Json)).GetProperty("timing");
        Assert.Equal("a", child.GetProperty("series")[0].GetProperty("id").GetString());
        Assert.Equal(parent.GetRawText(), child.GetRawText());
    }

    [StorageFact]
    public async Task A_stream_past_the_versions_upper_bound_gets_no_challenger_and_says_why()
    {
        // The challenger is a warm start that inherits the bound: trained on values above it, its job had failed validation
        // and spent the one decision a drift takes.
        await Start(autoRetrain: true, observations: 2);
        var history = await TrainChampion(upperBound: 70);
        var id = await OpenOnAlias(history);
        await Feed(id, Seasonal(200, 30, 90, 2));
        var decisions = (await Monitoring(1)).GetProperty("decisions").EnumerateArray().ToList();
        var retrain = Assert.Single(decisions, d => d.GetProperty("kind").GetString() == "retrain");
        Assert.Contains("upperBound 70", retrain.GetProperty("summary").GetString());
        Assert.Single(await Jobs()); // the champion's alone
    }

    [StorageFact]
    public async Task A_challenger_is_held_out_of_the_default_until_a_record_on_either_side_says_it_won()
    {
        await Start(autoRetrain: false, observations: 10);
        var history = await TrainChampion();
        // A warm start of version 1, as a drift's challenger is.
        var second = await _client.TrainAsync("plant", new { seed = 6, series = new[] { new { id = "a", values = history } }, epochs = 5, initFrom = new { version = 1 } });
        Assert.Equal(2, second.Version);
        Assert.Equal(2, await DefaultVersion(history));
        var events = _factory.Services.GetRequiredService<LstmService.Drift.VersionEventStore>();
        var registry = _factory.Services.GetRequiredService<LstmService.Registry.ModelRegistry>();
        // Version 2's job as a drift's challenger (its retrain decision on version 1): held out of the default from then on.
        Assert.True(events.TryAdd("plant", 1, new LstmService.Drift.VersionDecision { Kind = "retrain", At = DateTimeOffset.UtcNow, JobId = second.Id }));
        registry.DefaultsChanged();
        Assert.Equal(1, await DefaultVersion(history));
        // A comparison recorded on the champion alone (the review cut off before the challenger's copy), stored as before the
        // won flag existed: its summary says the challenger won, so version 2 is the default again.
        Assert.True(events.TryAdd("plant", 1, new LstmService.Drift.VersionDecision
        {
            Kind = "challenge", At = DateTimeOffset.UtcNow, Champion = 1, Challenger = 2, Summary = "... The challenger won: alias 'prod' moved from 1 to 2.",
        }));
        registry.DefaultsChanged();
        Assert.Equal(2, await DefaultVersion(history));
    }

    [StorageFact]
    public async Task A_challenger_that_had_nothing_new_to_learn_from_loses_and_the_alias_stays()
    {
        await Start(autoRetrain: true, observations: 10);
        var history = await TrainChampion();
        var id = await OpenOnAlias(history);
        // The flag comes with the first shifted values: the last 24 values, kept for the comparison, hold them, and the
        // challenger trains on what comes before, the level the champion already knows. Both miss the shift alike, so the
        // challenger is not Monitoring:ChallengerMargin better and nothing moves.
        await Feed(id, Seasonal(200, 12, 50, 2));
        await Feed(id, Seasonal(212, 8, 90, 3));
        // Flagged (and maybe cleared already: a challenger that trains fast and loses clears the drift).
        Assert.Equal(1, (await Monitoring(1)).GetProperty("drift").GetProperty("episodes").GetInt32());
        var challenge = await Challenge();
        Assert.True(challenge.GetProperty("challengerMae").GetDouble() >= 0.95 * challenge.GetProperty("championMae").GetDouble(), challenge.ToString());
        Assert.False(challenge.GetProperty("aliasMoved").GetBoolean());
        Assert.False(challenge.GetProperty("won").GetBoolean());
        Assert.Contains("lost", challenge.GetProperty("summary").GetString());
        Assert.Equal(1, await AliasVersion());
        // The losing challenger is the newest version, but a request that names none is still answered by the champion;
        // the challenger answers when named.
        var model = await _client.GetFromJsonAsync<JsonElement>("/models/plant", Api.Json);
        Assert.Equal(2, model.GetProperty("latestVersion").GetInt32());
        Assert.Equal(1, model.GetProperty("defaultVersion").GetInt32());
        // The list says the same: its latestVersion alone had named the held-back challenger.
        var listed = Assert.Single(await _client.GetFromJsonAsync<ModelSummaryResponse[]>("/models", Api.Json) ?? [], m => m.Name == "plant");
        Assert.Equal((2, 1), (listed.LatestVersion, listed.DefaultVersion));
        Assert.Equal(1, await DefaultVersion(history));
        var named = await _client.PostAsJsonAsync("/models/plant/forecast?version=2", new { series = new[] { new { history = history[^24..] } } });
        Assert.Equal(2, (await named.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        // The loss clears the drift: the rule judges the version again on values scored from now on (DriftTests.Episodes.cs).
        await Settled();
        var after = await Monitoring(1);
        Assert.Equal(["drift", "retrain", "challenge", "cleared"], after.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("kind").GetString()));
        Assert.False(after.GetProperty("drift").GetProperty("flagged").GetBoolean(), after.ToString());
        Assert.Contains("The challenger lost", after.GetProperty("decisions")[3].GetProperty("summary").GetString());
        Assert.Equal("trial", Assert.Single((await Monitoring(2)).GetProperty("decisions").EnumerateArray()).GetProperty("kind").GetString());
    }

    [StorageFact]
    public async Task A_version_whose_backtest_was_perfect_is_flagged_by_any_lasting_error_and_one_without_a_backtest_says_it_is_not_judged()
    {
        await Start(autoRetrain: false, observations: 4);
        await _client.TrainAsync("plant", new { series = new[] { new { values = Enumerable.Repeat(7f, 40).ToArray() } }, horizon = 3, epochs = 5, ensemble = 1 });
        var calm = await Monitoring(1);
        Assert.Equal(0, calm.GetProperty("backtest").GetProperty("mase").GetDouble()); // a constant series, forecast exactly
        Assert.Equal(JsonValueKind.Null, calm.GetProperty("drift").GetProperty("notJudged").ValueKind);
        var opened = await _client.PostAsJsonAsync("/models/plant/streams", new { seriesId = "k", history = Enumerable.Repeat(7f, 12).ToArray() });
        var id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Feed(id, Enumerable.Repeat(7f, 6).ToArray());
        Assert.False((await Monitoring(1)).GetProperty("drift").GetProperty("flagged").GetBoolean()); // still exact: no drift

        // The series moves to 8: the online MASE is no longer 0, unboundedly worse than the backtest's (a division by zero had
        // left the version unflagged for ever).
        await Feed(id, Enumerable.Repeat(8f, 8).ToArray());
        var drifted = await Monitoring(1);
        var drift = drifted.GetProperty("drift");
        Assert.True(drift.GetProperty("flagged").GetBoolean(), drifted.ToString());
        Assert.Equal(JsonValueKind.Null, drift.GetProperty("ratio").ValueKind);
        var flag = Assert.Single(drifted.GetProperty("decisions").EnumerateArray());
        Assert.Contains("the backtest's was 0", flag.GetProperty("summary").GetString());
        Assert.True(flag.GetProperty("onlineMase").GetDouble() > 0);

        // Registered from a state_dict, a version has no backtest: its monitoring says the rule cannot judge it.
        var weights = await _client.GetStringAsync("/models/plant/versions/1/weights?format=torch");
        var registered = await _client.PostAsync("/models/imported/versions",
            new StringContent($$"""{"stateDict":{{weights}}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        var imported = await _client.GetFromJsonAsync<JsonElement>("/models/imported/versions/1/monitoring", Api.Json);
        Assert.Contains("no backtest", imported.GetProperty("drift").GetProperty("notJudged").GetString());
    }
}
