using System.Net.Http.Json;
using System.Text.Json;
using LstmService.Drift;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>
/// Drift episodes: a drift clears once the version is back within the factor on values scored after its flag, or when its
/// challenger loses, and the rule then judges it again, so a typo does not flag a version for ever and a drift that goes on
/// gets another challenger (up to Monitoring:MaxChallengers).
/// </summary>
public partial class DriftTests
{
    static string[] Kinds(JsonElement monitoring) =>
        monitoring.GetProperty("decisions").EnumerateArray().Select(d => $"{d.GetProperty("kind").GetString()}:{d.GetProperty("episode").GetInt32()}").ToArray();

    [StorageFact]
    public async Task A_typo_flags_the_version_until_values_scored_after_it_are_back_within_the_factor_and_a_later_shift_flags_it_again()
    {
        await Start(autoRetrain: false, observations: 10);
        var history = await TrainChampion();
        var id = await OpenOnAlias(history);
        await Feed(id, Seasonal(200, 12, 50, 2));
        // One value of 500 among values like the training's: its scores and those of the forecasts that read it flag the version.
        await Feed(id, [500f]);
        await Feed(id, Seasonal(213, 3, 50, 3));
        var typo = await Monitoring(1);
        Assert.True(typo.GetProperty("drift").GetProperty("flagged").GetBoolean(), typo.ToString());
        Assert.Equal(1, typo.GetProperty("drift").GetProperty("episodes").GetInt32());
        Assert.Equal(["drift:1"], Kinds(typo));
        Assert.Equal(1, await DriftingGauge());

        // Values like the training's: once a window of 10 values (30 scores) made after the flag is within the factor, the drift clears.
        // (The typo comes back a season later in the seasonal members' forecasts, which may flag and clear a second episode.)
        await Feed(id, Seasonal(216, 60, 50, 4));
        var calm = await Monitoring(1);
        var drift = calm.GetProperty("drift");
        Assert.False(drift.GetProperty("flagged").GetBoolean(), calm.ToString());
        Assert.Equal(JsonValueKind.Null, drift.GetProperty("since").ValueKind);
        // The rule's statistic reads values scored since the clear: within the factor once it has a window of them, though the
        // monitoring window's ratio still holds the typo.
        if (drift.GetProperty("currentRatio").ValueKind == JsonValueKind.Number) Assert.InRange(drift.GetProperty("currentRatio").GetDouble(), 0, 1.5);
        else Assert.InRange(drift.GetProperty("scoresSoFar").GetInt32(), 0, 29);
        Assert.True(calm.GetProperty("maseRatio").GetDouble() > 1.5, calm.ToString());
        int episodes = drift.GetProperty("episodes").GetInt32();
        Assert.Equal(Enumerable.Range(1, episodes).SelectMany(e => new[] { $"drift:{e}", $"cleared:{e}" }), Kinds(calm));
        var cleared = calm.GetProperty("decisions")[1];
        Assert.Equal(10, cleared.GetProperty("observations").GetInt32());
        Assert.Equal(30, cleared.GetProperty("scores").GetInt32());
        Assert.True(cleared.GetProperty("ratio").GetDouble() <= 1.5, cleared.ToString());
        Assert.Contains("the drift has cleared", cleared.GetProperty("summary").GetString());
        Assert.Equal(0, await DriftingGauge());

        // A level shift later is a drift of its own: the second episode.
        await Feed(id, Seasonal(276, 20, 90, 5));
        var shifted = await Monitoring(1);
        Assert.True(shifted.GetProperty("drift").GetProperty("flagged").GetBoolean(), shifted.ToString());
        Assert.Equal(episodes + 1, shifted.GetProperty("drift").GetProperty("episodes").GetInt32());
        Assert.Equal([.. Kinds(calm), $"drift:{episodes + 1}"], Kinds(shifted));
        Assert.Equal(shifted.GetProperty("decisions")[2 * episodes].GetProperty("at").GetDateTimeOffset(), shifted.GetProperty("drift").GetProperty("since").GetDateTimeOffset());
        Assert.Equal(1, await DriftingGauge());
        // Its stream deleted, the version gets no scores that could clear it: still flagged, but no longer counted by the gauge
        // (and its alert), which it had held on for good.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await _client.DeleteAsync($"/streams/{id}")).StatusCode);
        Assert.True((await Monitoring(1)).GetProperty("drift").GetProperty("flagged").GetBoolean());
        // The gauge is read at most every 2 s (VersionEventStore.SharedEpisodeRefreshMilliseconds).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await DriftingGauge() != 0 && DateTime.UtcNow < deadline) await Task.Delay(250);
        Assert.Equal(0, await DriftingGauge());
    }

    /// <summary>lstm_model_versions_drifting, which the LstmVersionDrifting alert reads.</summary>
    async Task<double> DriftingGauge() =>
        PrometheusText.Parse(await _client.GetStringAsync("/metrics")).Single(m => m.Name == "lstm_model_versions_drifting").Value;

    [StorageFact]
    public async Task At_a_horizon_of_12_the_rule_judges_a_window_of_values_not_of_scores()
    {
        // Each value is scored at every step it was forecast at, up to 12 here: counted in scores, the rule had judged after six
        // values (21 scores) and, in steady state, on the last two, and a QA pass saw "Drifting" from the training series' own
        // generator. The window is now 20 values, each at every step it was forecast at.
        await Start(autoRetrain: false, observations: 20);
        var history = Seasonal(0, 200, 50, 1);
        await _client.TrainAsync("plant", new
        {
            seed = 5, series = new[] { new { id = "a", values = history } }, inputWindow = 12, horizon = 12, hiddenSize = 8, epochs = 10,
            batchSize = 16, ensemble = 1,
        });
        var opened = await _client.PostAsJsonAsync("/models/plant/streams", new { seriesId = "a", history });
        var id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Feed(id, Seasonal(200, 6, 50, 2));
        var early = (await Monitoring(1)).GetProperty("drift");
        Assert.Equal(240, early.GetProperty("scores").GetInt32());
        Assert.Equal(21, early.GetProperty("scoresSoFar").GetInt32()); // 1 + 2 + ... + 6
        Assert.Equal(6, early.GetProperty("valuesSoFar").GetInt32());
        Assert.Equal(JsonValueKind.Null, early.GetProperty("currentRatio").ValueKind);
        Assert.False(early.GetProperty("flagged").GetBoolean());

        // 26 values hold 78 + 14 x 12 = 246 scores: the newest 240 (values 4 to 26) fill the window, and the rule judges it.
        await Feed(id, Seasonal(206, 20, 50, 3));
        var judged = await Monitoring(1);
        var drift = judged.GetProperty("drift");
        Assert.Equal(240, drift.GetProperty("scoresSoFar").GetInt32());
        Assert.Equal(JsonValueKind.Null, drift.GetProperty("valuesSoFar").ValueKind); // counted only while the window fills
        Assert.Equal(JsonValueKind.Number, drift.GetProperty("currentRatio").ValueKind);
        Assert.False(drift.GetProperty("flagged").GetBoolean(), judged.ToString());
        Assert.Empty(judged.GetProperty("decisions").EnumerateArray());
    }

    [StorageFact]
    public async Task Values_appended_in_batches_are_scored_fewer_times_and_the_window_reaches_further_back()
    {
        // An append forecasts once, after its values: in a batch of 5 at horizon 3 only the forecast made before the batch
        // reaches it, so its first three values are scored once each and the last two not at all. The window of 10 x 3 scores
        // then spans 30 scored values, and the decision says so.
        await Start(autoRetrain: false, observations: 10);
        var history = await TrainChampion();
        var id = await OpenOnAlias(history);
        var shifted = Seasonal(200, 60, 90, 3);
        for (int i = 0; i < shifted.Length; i += 5) await Append(id, shifted[i..(i + 5)]);
        var monitoring = await Monitoring(1);
        var flag = Assert.Single(monitoring.GetProperty("decisions").EnumerateArray());
        Assert.Equal("drift", flag.GetProperty("kind").GetString());
        Assert.Equal(30, flag.GetProperty("scores").GetInt32());
        Assert.Equal(30, flag.GetProperty("observations").GetInt32());
        Assert.Contains("over the latest 30 values (30 scores)", flag.GetProperty("summary").GetString());
    }

    [StorageFact]
    public async Task After_a_lost_challenge_a_drift_that_goes_on_queues_a_challenger_trained_on_what_the_last_was_compared_on()
    {
        await Start(autoRetrain: true, observations: 10, maxChallengers: 3);
        var history = await TrainChampion();
        var id = await OpenOnAlias(history);
        await Feed(id, Seasonal(200, 12, 50, 2));
        // Flagged with the first shifted values, all held out of the first challenger's training: it loses.
        await Feed(id, Seasonal(212, 8, 90, 3));
        var first = await Challenge();
        Assert.False(first.GetProperty("won").GetBoolean(), first.ToString());
        // The level stays up: each later episode's challenger waits until the stream has grown by the 24 values the last one
        // was compared on, so each trains on more shifted values, until one wins.
        for (int from = 220; from < 340 && !(await Monitoring(1)).GetProperty("decisions").EnumerateArray().Any(d => d.TryGetProperty("won", out var w) && w.ValueKind == JsonValueKind.True); from += 5)
        {
            await Feed(id, Seasonal(from, 5, 90, from));
            await Settled();
        }
        var monitoring = await Monitoring(1);
        var challenges = monitoring.GetProperty("decisions").EnumerateArray().Where(d => d.GetProperty("kind").GetString() == "challenge").ToList();
        Assert.InRange(challenges.Count, 2, 3);
        Assert.True(challenges[^1].GetProperty("won").GetBoolean(), monitoring.ToString());
        Assert.All(challenges[..^1], c => Assert.False(c.GetProperty("won").GetBoolean()));
        int winner = challenges[^1].GetProperty("challenger").GetInt32();
        Assert.Equal(winner, await AliasVersion());
        // Each lost challenge cleared its episode and the next drift opened another; the winner's episode stays open.
        var expected = Enumerable.Range(1, challenges.Count).SelectMany(e => e < challenges.Count
            ? new[] { $"drift:{e}", $"retrain:{e}", $"challenge:{e}", $"cleared:{e}" } : [$"drift:{e}", $"retrain:{e}", $"challenge:{e}"]);
        Assert.Equal(expected, Kinds(monitoring));
        var lengths = _factory.Services.GetRequiredService<VersionEventStore>().List("plant", 1).Where(d => d.Kind == "retrain").Select(d => d.Lengths![0]).ToList();
        for (int i = 1; i < lengths.Count; i++) Assert.True(lengths[i] >= lengths[i - 1] + 24, string.Join(", ", lengths));
    }

    [StorageFact]
    public async Task A_drift_past_Monitoring_MaxChallengers_is_flagged_without_a_challenger()
    {
        await Start(autoRetrain: true, observations: 10, maxChallengers: 1);
        var history = await TrainChampion();
        var id = await OpenOnAlias(history);
        await Feed(id, Seasonal(200, 12, 50, 2));
        await Feed(id, Seasonal(212, 8, 90, 3));
        Assert.False((await Challenge()).GetProperty("won").GetBoolean());
        // The level stays up: the second episode is flagged, but the version has had its one challenger.
        for (int from = 220; from < 300 && Kinds(await Monitoring(1)).Length < 6; from += 5) await Feed(id, Seasonal(from, 5, 90, from));
        var monitoring = await Monitoring(1);
        Assert.Equal(["drift:1", "retrain:1", "challenge:1", "cleared:1", "drift:2", "retrain:2"], Kinds(monitoring));
        Assert.True(monitoring.GetProperty("drift").GetProperty("flagged").GetBoolean());
        var refused = monitoring.GetProperty("decisions")[5];
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("jobId").ValueKind);
        Assert.Contains("already queued Monitoring:MaxChallengers (1) challengers", refused.GetProperty("summary").GetString());
        Assert.Equal(2, (await Jobs()).Length); // the champion's and the first challenger's
    }

    [StorageFact]
    public async Task A_challenger_whose_job_is_cancelled_clears_its_episode()
    {
        await Start(autoRetrain: true, observations: 10);
        var history = await TrainChampion();
        var id = await OpenOnAlias(history);
        // The one worker busy with another model's long job, so the challenger waits in the queue until it is cancelled.
        var busy = await _client.SubmitAsync("other", Api.LongTraining());
        await _client.WaitForAsync(busy.Id, j => j.Status == TrainingJobStatus.Running);
        await Feed(id, Seasonal(200, 12, 50, 2));
        await Feed(id, Seasonal(212, 8, 90, 3));
        var retrain = (await Monitoring(1)).GetProperty("decisions").EnumerateArray().Single(d => d.GetProperty("kind").GetString() == "retrain");
        var job = retrain.GetProperty("jobId").GetGuid();
        Assert.True((await _client.PostAsync($"/training-jobs/{job}/cancel", null)).IsSuccessStatusCode);
        Assert.Equal(TrainingJobStatus.Cancelled, (await _client.WaitForEndAsync(job, timeoutSeconds: 60)).Status);
        // Never reviewed, its episode had stayed open for good: the next append a second later clears it.
        await Task.Delay(1100);
        await Feed(id, Seasonal(220, 1, 90, 4));
        var monitoring = await Monitoring(1);
        Assert.Equal(["drift:1", "retrain:1", "cleared:1"], Kinds(monitoring));
        Assert.Contains("The challenger was cancelled", monitoring.GetProperty("decisions")[2].GetProperty("summary").GetString());
        Assert.False(monitoring.GetProperty("drift").GetProperty("flagged").GetBoolean());
        await _client.PostAsync($"/training-jobs/{busy.Id}/cancel", null);
    }

    /// <summary>Waits until no training job is queued or running, and the last trained one's review is recorded.</summary>
    async Task Settled()
    {
        for (int i = 0; i < 1200; i++)
        {
            var jobs = await Jobs();
            if (jobs.Any(j => j.Status is TrainingJobStatus.Failed or TrainingJobStatus.Cancelled)) Assert.Fail("A challenger's job did not succeed.");
            var monitoring = await Monitoring(1);
            var decisions = monitoring.GetProperty("decisions").EnumerateArray().ToList();
            var lost = decisions.Where(d => d.GetProperty("kind").GetString() == "challenge" && d.GetProperty("won").ValueKind == JsonValueKind.False).ToList();
            int challenges = decisions.Count(d => d.GetProperty("kind").GetString() == "challenge");
            // A lost challenge is settled once its episode is cleared (written after the comparison).
            bool cleared = lost.All(c => Kinds(monitoring).Contains("cleared:" + c.GetProperty("episode").GetInt32()));
            if (jobs.All(j => j.Status == TrainingJobStatus.Succeeded) && challenges == jobs.Length - 1 && cleared) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("A challenger was not reviewed.");
    }

    [StorageFact]
    public async Task Decisions_stored_before_drift_episodes_read_as_the_first_episode()
    {
        var directory = LstmServiceFactory.NewDataDirectory();
        string? database = Storage == "postgres" ? TestPostgres.CreateDatabase() : null;
        try
        {
            await using (var before = new LstmServiceFactory(directory, storage: Storage, connectionString: database))
            {
                before.CreateClient();
                // The table as it was: one decision per version and kind, no episode.
                using var connection = before.Services.GetRequiredService<IRegistryDatabase>().Connect();
                Sql.Execute(connection, null, "DROP INDEX version_events_per_episode");
                Sql.Execute(connection, null, "ALTER TABLE version_events DROP COLUMN episode");
                Sql.Execute(connection, null, "CREATE UNIQUE INDEX version_events_once ON version_events(model, version, kind)");
                Sql.Execute(connection, null, "INSERT INTO version_events (model, version, kind, at, job_id, detail) VALUES ('plant', 1, 'drift', '2026-01-01T00:00:00.0000000+00:00', NULL, @detail)",
                    ("@detail", """{"kind":"drift","at":"2026-01-01T00:00:00+00:00","summary":"stored before episodes","ratio":3}"""));
                Sql.Execute(connection, null, "INSERT INTO version_events (model, version, kind, at, job_id, detail) VALUES ('plant', 2, 'drift', '2026-01-01T00:00:00.0000000+00:00', NULL, @detail)",
                    ("@detail", """{"kind":"drift","at":"2026-01-01T00:00:00+00:00","summary":"flagged","ratio":3}"""));
                Sql.Execute(connection, null, "INSERT INTO version_events (model, version, kind, at, job_id, detail) VALUES ('plant', 2, 'challenge', '2026-01-02T00:00:00.0000000+00:00', NULL, @detail)",
                    ("@detail", """{"kind":"challenge","at":"2026-01-02T00:00:00+00:00","summary":"On the last 24 recent values ... The challenger lost (it needs an MAE at least 5% below the champion's): no alias moved.","champion":2,"challenger":3}"""));
            }
            await using var after = new LstmServiceFactory(directory, storage: Storage, connectionString: database);
            after.CreateClient();
            var events = after.Services.GetRequiredService<VersionEventStore>();
            var episode = Assert.IsType<DriftEpisode>(events.LatestEpisode("plant", 1));
            Assert.Equal((1, true, "stored before episodes"), (episode.Number, episode.Open, episode.Flag.Summary));
            var at = DateTimeOffset.UtcNow;
            Assert.False(events.TryAdd("plant", 1, new VersionDecision { Kind = "drift", At = at })); // episode 1's flag is taken
            Assert.True(events.TryAdd("plant", 1, new VersionDecision { Kind = "cleared", At = at }));
            Assert.True(events.TryAdd("plant", 1, new VersionDecision { Kind = "drift", Episode = 2, At = at, Summary = "second" }));
            Assert.Equal((2, true, "second"), (events.LatestEpisode("plant", 1)!.Number, events.LatestEpisode("plant", 1)!.Open, events.LatestEpisode("plant", 1)!.Flag.Summary));
            // A challenge that lost, stored before episodes (no "won", no "cleared"), closes its episode.
            Assert.False(events.LatestEpisode("plant", 2)!.Open);
        }
        finally
        {
            if (database is not null) TestPostgres.DropDatabase(database);
            LstmServiceFactory.DeleteDirectory(directory);
        }
    }
}
