using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LstmService.Tests;

/// <summary>Edited exports: each edit a stream could not have made is refused naming its part, and the export itself still opens.</summary>
public partial class StreamTests
{
    [StorageFact]
    public async Task An_edited_export_is_refused_naming_what_was_edited()
    {
        var series = Series(120);
        await _client.TrainAsync("edited", Training(series[..100]));
        string id = (await Open("edited", Nullable(series[..60]))).GetProperty("id").GetString()!;
        for (int i = 60; i < 64; i++) await Append(id, series[i]);
        var export = JsonNode.Parse((await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}/state", Api.Json)).GetRawText())!.AsObject();
        Assert.NotEmpty(export["issued"]!.AsArray());

        async Task<Dictionary<string, string[]>> Refused(Action<JsonObject> edit)
        {
            var copy = export.DeepClone().AsObject();
            edit(copy);
            return await (await _client.PostJsonAsync("/models/edited/streams", new { state = copy })).ValidationErrorsAsync();
        }

        // A key the export does not have, at any depth, had been dropped silently.
        Assert.StartsWith("Unknown field.", Assert.Single((await Refused(s => s["series"]!["statistics"]!["theta"]!["timeTotals"] = 1))["state.series.statistics.theta.timeTotals"]));
        Assert.StartsWith("Unknown field.", Assert.Single((await Refused(s => s["issued"]![0]!["upperBound"] = new JsonArray()))["state.issued[0].upperBound"]));
        Assert.StartsWith("Unknown field.", Assert.Single((await Refused(s => s["version2"] = 1))["state.version2"]));

        // Theta's counts and time sums follow from the number of values alone: an edited one had been taken as given.
        var theta = (await Refused(s => s["series"]!["statistics"]!["theta"]!["timeTotal"] = -1.0))["state.series"];
        Assert.Contains("theta's counts and time sums are those of", Assert.Single(theta));
        Assert.Contains("theta's counts", Assert.Single((await Refused(s =>
        {
            var counts = s["series"]!["statistics"]!["theta"]!["counts"]!.AsArray();
            counts[0] = counts[0]!.GetValue<double>() + 1;
        }))["state.series"]));

        // An issued forecast without its anomaly bounds would flag nothing when its values arrive.
        var bounds = (await Refused(s => s["issued"]![0]!.AsObject().Remove("lower")))["state.issued"];
        Assert.Contains("lower and upper anomaly bounds", Assert.Single(bounds));
        // A value beyond float32 is read as infinity; it had been scored against every value appended for it.
        Assert.Contains("finite values", Assert.Single((await Refused(s => s["issued"]![0]!["mean"]![0] = 1e39))["state.issued"]));

        // The alias and recent values an import keeps are checked as a request's are.
        Assert.Contains("Not an alias", Assert.Single((await Refused(s => s["alias"] = "12"))["state.alias"]));
        Assert.Single((await Refused(s => s["recent"]![0] = 1e39)).Keys, k => k.StartsWith("state.recent", StringComparison.Ordinal));
        // More recent values than the stream holds are no export's: a drift's challenger would train on them.
        var padded = (await Refused(s =>
        {
            var recent = s["recent"]!.AsArray();
            foreach (var value in recent.ToList()) recent.Add(value?.DeepClone());
        }))["state.recent"];
        Assert.Contains("a stream keeps at most its own values", Assert.Single(padded));

        // Another series' id beside the state had been taken: the stream then forecast with that series' intervals (a QA pass).
        var exportedId = export["seriesId"]!.GetValue<string>();
        var relabelled = await (await _client.PostJsonAsync("/models/edited/streams", new { state = export, seriesId = exportedId + "-other" })).ValidationErrorsAsync();
        Assert.Equal($"The state was exported from series '{exportedId}': leave seriesId out, or give that one.", Assert.Single(relabelled["seriesId"]));
        Assert.Equal(HttpStatusCode.Created, (await _client.PostJsonAsync("/models/edited/streams", new { state = export, seriesId = exportedId })).StatusCode);

        // A version that does not exist is a 404, before the state's own version is compared with it.
        await (await _client.PostJsonAsync("/models/edited/streams?version=3", new { state = export })).ProblemAsync(HttpStatusCode.NotFound);

        // The export as it is still opens a stream that forecasts what the exported one does.
        var reopened = await _client.PostJsonAsync("/models/edited/streams", new { state = export });
        Assert.Equal(HttpStatusCode.Created, reopened.StatusCode);
        var original = await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}", Api.Json);
        AssertSame(original.GetProperty("forecast"), (await reopened.ReadAsync<JsonElement>()).GetProperty("forecast"), "after the import");

        // A history with missing values before its first observed one exports how many (series.lead) and reopens alike; a lead
        // the settled values cannot hold is refused.
        string led = (await Open("edited", [.. Enumerable.Repeat((float?)null, 5), .. Nullable(series[..60])])).GetProperty("id").GetString()!;
        var ledExport = JsonNode.Parse((await _client.GetFromJsonAsync<JsonElement>($"/streams/{led}/state", Api.Json)).GetRawText())!.AsObject();
        Assert.Equal(5, ledExport["series"]!["lead"]!.GetValue<int>());
        var ledReopened = await _client.PostJsonAsync("/models/edited/streams", new { state = ledExport });
        Assert.Equal(HttpStatusCode.Created, ledReopened.StatusCode);
        AssertSame((await _client.GetFromJsonAsync<JsonElement>($"/streams/{led}", Api.Json)).GetProperty("forecast"), (await ledReopened.ReadAsync<JsonElement>()).GetProperty("forecast"), "after a lead's import");
        ledExport["series"]!["lead"] = 1000;
        Assert.Contains("lead", Assert.Single((await (await _client.PostJsonAsync("/models/edited/streams", new { state = ledExport })).ValidationErrorsAsync())["state.series"]));

        // The exported alias goes with the import while it still points to the version, and is dropped once it does not (a
        // stale one counted as a second alias of the version's streams, leaving a drift without a challenger).
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsJsonAsync("/models/edited/aliases/prod", new { version = 1 })).StatusCode);
        string aliased = (await (await _client.PostJsonAsync("/models/edited/streams?alias=prod", new { seriesId = "a", history = Nullable(series[..60]) })).ReadAsync<JsonElement>()).GetProperty("id").GetString()!;
        var withAlias = await _client.GetFromJsonAsync<JsonElement>($"/streams/{aliased}/state", Api.Json);
        Assert.Equal("prod", withAlias.GetProperty("alias").GetString());
        async Task<JsonElement> ImportedAlias()
        {
            var id = (await (await _client.PostJsonAsync("/models/edited/streams", new { state = withAlias })).ReadAsync<JsonElement>()).GetProperty("id").GetString();
            return (await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}/state", Api.Json)).GetProperty("alias");
        }
        Assert.Equal("prod", (await ImportedAlias()).GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/models/edited/aliases/prod")).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ImportedAlias()).ValueKind);
    }
}
