using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LstmService.Streams;
using LstmService.Forecasts;
using LstmService.Models;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LstmService.Tests;

/// <summary>
/// Covariates through a version's life: forecasts driven by them, streams, the torch export, the log and multiplicative
/// scales, and the bad covariates of training and forecast requests refused by name.
/// </summary>
public sealed class CovariateTests(CovariateFixture fixture, ITestOutputHelper output) : IClassFixture<CovariateFixture>
{
    private readonly HttpClient _client = fixture.Client;
    private const int Train = CovariateFixture.Train;

    private async Task<ForecastResponse> ForecastAsync(params object[] series)
    {
        var response = await _client.PostJsonAsync("/models/driven/forecast", new { series });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ForecastResponse>();
    }

    [Fact]
    public async Task A_model_reads_its_covariates_and_forecasts_what_they_drive()
    {
        var version = await _client.GetFromJsonAsync<VersionResponse>("/models/driven/versions/1", Api.Json);
        Assert.Equal(["lead", "plan"], version!.Architecture.Covariates);
        Assert.Equal(["plan"], version.Architecture.FutureCovariates);
        Assert.Equal(1 + 2 + 1, version.Architecture.InputSize); // target, two covariates, the "future" flag
        Assert.Equal(["plan"], version.Training!.FutureCovariates);
        // plan, known in advance, is regressed out of the series first (its coefficient from the differences: 3 per unit);
        // lead, known only up to the origin, moves the classical members through its changes (fitted on what they miss).
        var levels = version.Architecture.Statistics!.CovariateLevels;
        Assert.NotNull(levels);
        Assert.Equal(["plan"], levels.Coefficients.Keys);
        Assert.InRange(levels.Coefficients["plan"], 2.7f, 3.3f);
        Assert.Equal(1, levels.Difference);
        Assert.False(levels.Multiplicative); // an amount per unit, which the validation part tells from a share
        Assert.Equal(["lead"], version.Architecture.Statistics.Covariates);

        // One-step forecasts from every origin after the training data, as one batch.
        var origins = Enumerable.Range(Train, CovariateFixture.Test).ToArray();
        var result = await ForecastAsync(origins.Select(t => CovariateFixture.Series(t)).ToArray());
        var errors = origins.Select((t, i) => result.Forecasts[i].Mean[0] - CovariateFixture.Target[t]).ToArray();
        var rmse = Math.Sqrt(errors.Average(e => e * e));
        var naive = Math.Sqrt(origins.Average(t => Math.Pow(CovariateFixture.Target[t - 1] - CovariateFixture.Target[t], 2)));
        var spread = Math.Sqrt(origins.Average(t => Math.Pow(CovariateFixture.Target[t] - 10, 2)));
        output.WriteLine($"RMSE {rmse:F3}, naive {naive:F3}, target spread {spread:F3} after {fixture.Job.Epoch} epochs");
        // Without the covariates nothing beats the spread of the noise; with them the error is a fraction of it.
        Assert.True(rmse < 0.4 * spread, $"RMSE {rmse:F3} vs spread {spread:F3}");

        // The forecast follows each covariate the way the target does: lead's last value (weight 4) and plan's next one (weight 3).
        var baseline = (await ForecastAsync(CovariateFixture.Series(Train))).Forecasts[0].Mean[0];
        var lead = (await ForecastAsync(CovariateFixture.Series(Train, leadShift: 0.5))).Forecasts[0].Mean[0];
        var plan = (await ForecastAsync(CovariateFixture.Series(Train, planShift: 0.5))).Forecasts[0].Mean[0];
        output.WriteLine($"lead +0.5 moves the forecast by {lead - baseline:F3} (2 expected), plan +0.5 by {plan - baseline:F3} (1.5 expected)");
        Assert.InRange(lead - baseline, 0.8, 3.5);
        Assert.InRange(plan - baseline, 0.6, 2.5);
    }

    [Fact]
    public async Task A_stream_of_a_model_that_regresses_a_covariate_out_keeps_the_series_own_values()
    {
        // plan is regressed out (the version's covariateLevels): the stream reads the series less its effect, but shows,
        // exports and re-imports the series' own values, and forecasts as a one-off request of the same history does.
        const int t = Train + 20;
        var history = CovariateFixture.Target[..t];
        var covariates = new Dictionary<string, double[]> { ["lead"] = CovariateFixture.Lead[..t], ["plan"] = CovariateFixture.Plan[..t] };
        var future = new Dictionary<string, double[]> { ["plan"] = [CovariateFixture.Plan[t]] };
        var opened = await _client.PostJsonAsync("/models/driven/streams", new { seriesId = "y", history, covariates, futureCovariates = future });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var stream = await opened.ReadAsync<JsonElement>();
        var state = await _client.GetFromJsonAsync<JsonElement>($"/streams/{stream.GetProperty("id").GetString()}/state", Api.Json);
        var imported = await _client.PostJsonAsync("/models/driven/streams", new { state, futureCovariates = future });
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var copy = await imported.ReadAsync<JsonElement>();
        var last = copy.GetProperty("lastWindow").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.NotEmpty(last);
        for (var i = 0; i < last.Length; i++) Assert.Equal(history[t - last.Length + i], last[i], 4);
        var oneOff = (await ForecastAsync(CovariateFixture.Series(t))).Forecasts[0].Mean[0];
        Assert.Equal(oneOff, copy.GetProperty("forecast").GetProperty("mean")[0].GetSingle());
        Assert.Equal(oneOff, stream.GetProperty("forecast").GetProperty("mean")[0].GetSingle());
        var nullFuture = await (await _client.PostJsonAsync("/models/driven/streams",
            new { seriesId = "y", history, covariates, futureCovariates = new Dictionary<string, double?[]> { ["plan"] = [null] } })).ValidationErrorsAsync();
        Assert.Contains("All values are null", Assert.Single(nullFuture, e => e.Key == "futureCovariates.plan").Value[0]);
        // An export from a release that kept more future values than the horizon opens as if it had kept the horizon's.
        var longerExport = System.Text.Json.Nodes.JsonNode.Parse(state.GetRawText())!;
        longerExport["futureCovariates"]!["plan"] = new System.Text.Json.Nodes.JsonArray(CovariateFixture.Plan[t], 1e6);
        var reopened = await _client.PostJsonAsync("/models/driven/streams", new { state = longerExport });
        Assert.Equal(HttpStatusCode.Created, reopened.StatusCode);
        Assert.Equal(oneOff, (await reopened.ReadAsync<JsonElement>()).GetProperty("forecast").GetProperty("mean")[0].GetSingle());
        var longFuture = await (await _client.PostJsonAsync("/models/driven/streams",
            new { seriesId = "y", history, covariates, futureCovariates = new Dictionary<string, double[]> { ["plan"] = [0.5, 0.5] } })).ValidationErrorsAsync();
        Assert.Contains("Too long: 2 values, but this version's horizon is 1; give the covariate's next 1 value after the history.", Assert.Single(longFuture, e => e.Key == "futureCovariates.plan").Value[0]);
        // Too few values are named as too few, as a one-off forecast names them (the stream had said they were missing).
        var shortFuture = await (await _client.PostJsonAsync("/models/driven/streams",
            new { seriesId = "y", history, covariates, futureCovariates = new Dictionary<string, double[]> { ["plan"] = [] } })).ValidationErrorsAsync();
        Assert.StartsWith("Too short: 0 values, but 1 step is forecast (a stream forecasts the version's whole horizon)", Assert.Single(shortFuture, e => e.Key == "futureCovariates.plan").Value[0]);
    }

    [Fact]
    public async Task Missing_or_misaligned_forecast_covariates_are_400s_naming_them()
    {
        var history = CovariateFixture.Target[..50];
        Dictionary<string, double[]> Past(int length) => new() { ["lead"] = CovariateFixture.Lead[..length], ["plan"] = CovariateFixture.Plan[..length] };
        var future = new Dictionary<string, double[]> { ["plan"] = [0.5] };

        async Task<Dictionary<string, string[]>> Errors(object series) =>
            await (await _client.PostJsonAsync("/models/driven/forecast", new { series = new[] { series } })).ValidationErrorsAsync();

        var errors = await Errors(new { history });
        Assert.Equal(["series[0].covariates.lead", "series[0].covariates.plan", "series[0].futureCovariates.plan"], errors.Keys.Order());

        errors = await Errors(new { history, covariates = new Dictionary<string, double[]> { ["lead"] = CovariateFixture.Lead[..49], ["plan"] = CovariateFixture.Plan[..50] }, futureCovariates = future });
        Assert.Contains("49", Assert.Single(errors, e => e.Key == "series[0].covariates.lead").Value[0]);

        errors = await Errors(new { history, covariates = Past(50), futureCovariates = new Dictionary<string, double[]> { ["plan"] = [] } });
        Assert.Equal(["series[0].futureCovariates.plan"], errors.Keys);
        Assert.StartsWith("Too short: 0 values, but 1 step is forecast; give the covariate's next 1 value after the history.", errors["series[0].futureCovariates.plan"][0]);
        // More values than the version forecasts steps (its horizon is 1): most often the history and the future together,
        // whose first value would have been read as the future.
        errors = await Errors(new { history, covariates = Past(50), futureCovariates = new Dictionary<string, double[]> { ["plan"] = CovariateFixture.Plan[..51] } });
        Assert.Contains("Too long: 51 values, but this version's horizon is 1; give the covariate's next 1 value after the history.", Assert.Single(errors, e => e.Key == "series[0].futureCovariates.plan").Value[0]);
        // A future of nulls only is no future: refused, as a history of nulls only is.
        errors = await Errors(new { history, covariates = Past(50), futureCovariates = new Dictionary<string, double?[]> { ["plan"] = [null] } });
        Assert.Contains("All values are null", Assert.Single(errors, e => e.Key == "series[0].futureCovariates.plan").Value[0]);

        var withTypo = Past(50);
        withTypo["laed"] = CovariateFixture.Lead[..50];
        errors = await Errors(new { history, covariates = withTypo, futureCovariates = new Dictionary<string, double[]> { ["plan"] = [0.5], ["lead"] = [0.5] } });
        Assert.Equal(["series[0].covariates.laed", "series[0].futureCovariates.lead"], errors.Keys.Order());

        var nulls = new Dictionary<string, double?[]> { ["lead"] = new double?[50], ["plan"] = CovariateFixture.Plan[..50].Select(v => (double?)v).ToArray() };
        errors = await Errors(new { history, covariates = nulls, futureCovariates = future });
        Assert.Equal(["series[0].covariates.lead"], errors.Keys);

        var raw = $$$"""{"series":[{"history":[{{{string.Join(",", history.Select(v => v.ToString(CultureInfo.InvariantCulture)))}}}],"covariates":{"lead":[{{{string.Join(",", Enumerable.Repeat("1", 49))}}},"NaN"],"plan":[{{{string.Join(",", Enumerable.Repeat("1", 50))}}}]},"futureCovariates":{"plan":[1]}}]}""";
        errors = await (await _client.PostAsync("/models/driven/forecast", new StringContent(raw, Encoding.UTF8, "application/json"))).ValidationErrorsAsync();
        Assert.Equal(["series[0].covariates.lead[49]"], errors.Keys);

        // A model without covariates takes none.
        await _client.TrainAsync("plain", Api.TinyTraining(epochs: 1));
        errors = await (await _client.PostJsonAsync("/models/plain/forecast", new { series = new[] { new { history = Api.Sine(12), covariates = Past(12) } } })).ValidationErrorsAsync();
        Assert.Equal(Past(12).Keys.Select(name => $"series[0].covariates.{name}").Order(), errors.Keys.Order());
    }

    [Fact]
    public async Task A_covariate_model_registers_back_from_its_own_torch_export()
    {
        // The export carries its forecast settings (covariates, future covariates, scaling, ...): the document alone registers.
        var stateDict = JsonDocument.Parse(await _client.GetStringAsync("/models/driven/versions/1/weights?format=torch")).RootElement;
        Assert.Equal("seriesZScore", stateDict.GetProperty("_forecast").GetProperty("scaling").GetString());
        var response = await _client.PostJsonAsync("/models/driven-copy/versions", new { stateDict });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var copy = await response.ReadAsync<VersionResponse>();
        var original = await _client.GetFromJsonAsync<VersionResponse>("/models/driven/versions/1", Api.Json);
        Assert.Equal(original!.Architecture.Covariates, copy.Architecture.Covariates);
        Assert.Equal(original.Architecture.FutureCovariates, copy.Architecture.FutureCovariates);
        Assert.Equal((original.InputWindow, original.Horizon, original.Scaling), (copy.InputWindow, copy.Horizon, copy.Scaling));
        Assert.Equal(original.Quantiles, copy.Quantiles);
        Assert.Equal((original.Architecture.EnsembleSize, original.Architecture.SeasonLength), (copy.Architecture.EnsembleSize, copy.Architecture.SeasonLength));

        // Identical forecasts, mean and quantiles.
        var series = Enumerable.Range(Train, 4).Select(t => CovariateFixture.Series(t)).ToArray();
        var a = await ForecastAsync(series);
        var bResponse = await _client.PostJsonAsync("/models/driven-copy/forecast", new { series });
        Assert.Equal(HttpStatusCode.OK, bResponse.StatusCode);
        var b = await bResponse.ReadAsync<ForecastResponse>();
        Assert.Equal(a.Forecasts.Select(f => f.Mean), b.Forecasts.Select(f => f.Mean));
        foreach (var level in a.Forecasts[0].Quantiles.Keys)
            Assert.Equal(a.Forecasts.Select(f => f.Quantiles[level]), b.Forecasts.Select(f => f.Quantiles[level]));

        // Settings given with it must agree with the document's; contradicting them is a 400, not an override.
        var errors = await (await _client.PostJsonAsync("/models/driven-copy/versions", new { stateDict, inputWindow = 9 })).ValidationErrorsAsync();
        Assert.Contains("disagrees", Assert.Single(errors, e => e.Key == "inputWindow").Value[0]);
        Assert.Equal(HttpStatusCode.Created, (await _client.PostJsonAsync("/models/driven-copy/versions", new { stateDict, inputWindow = 8, horizon = 1, scaling = "seriesZScore" })).StatusCode);
    }

    [Fact]
    public async Task A_log_scale_copy_refuses_a_history_whose_value_less_the_covariate_effect_is_not_positive()
    {
        // Training keeps the series less a covariate's effect on the plain scale, but a registered document may say log: a
        // history that the effect takes to zero or below is the caller's input, a 400 naming the covariate, one-off or streamed.
        var node = System.Text.Json.Nodes.JsonNode.Parse(await _client.GetStringAsync("/models/driven/versions/1/weights?format=torch"))!;
        node["_forecast"]!["transform"] = "log";
        var registered = await _client.PostJsonAsync("/models/driven-log/versions", new { stateDict = node });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var history = Enumerable.Repeat(5.0, 20).ToArray();
        var covariates = new Dictionary<string, double[]> { ["lead"] = new double[20], ["plan"] = Enumerable.Repeat(0.0, 19).Append(2.0).ToArray() };
        var future = new Dictionary<string, double[]> { ["plan"] = [0.0] };
        var oneOff = await (await _client.PostJsonAsync("/models/driven-log/forecast", new { series = new[] { new { history, covariates, futureCovariates = future } } })).ValidationErrorsAsync();
        Assert.Contains("(plan)", Assert.Single(oneOff, e => e.Key == "series[0].covariates.plan[19]").Value[0]);
        var stream = await (await _client.PostJsonAsync("/models/driven-log/streams", new { seriesId = "y", history, covariates, futureCovariates = future })).ValidationErrorsAsync();
        Assert.Contains("(plan)", Assert.Single(stream, e => e.Key == "covariates.plan[19]").Value[0]);

        // Where no covariate's effect outweighs the value, the value itself is named.
        covariates["plan"] = new double[20];
        history[3] = -1;
        oneOff = await (await _client.PostJsonAsync("/models/driven-log/forecast", new { series = new[] { new { history, covariates, futureCovariates = future } } })).ValidationErrorsAsync();
        Assert.Contains("must stay positive", Assert.Single(oneOff, e => e.Key == "series[0].history[3]").Value[0]);
        stream = await (await _client.PostJsonAsync("/models/driven-log/streams", new { seriesId = "y", history, covariates, futureCovariates = future })).ValidationErrorsAsync();
        Assert.Contains("must stay positive", Assert.Single(stream, e => e.Key == "history[3]").Value[0]);

        // A future covariate whose effect overflows 32-bit floats (3 x 3e38) is named, not the history.
        var overflow = await (await _client.PostJsonAsync("/models/driven/forecast", new { series = new[] { new
        {
            history = CovariateFixture.Target[..Train],
            covariates = new Dictionary<string, double[]> { ["lead"] = CovariateFixture.Lead[..Train], ["plan"] = CovariateFixture.Plan[..Train] },
            futureCovariates = new Dictionary<string, double[]> { ["plan"] = [3e38] },
        } } })).ValidationErrorsAsync();
        Assert.Contains("overflows", Assert.Single(overflow, e => e.Key == "series[0].futureCovariates.plan").Value[0]);
    }

    [Fact]
    public async Task A_multiplicative_version_refuses_a_history_value_that_is_not_positive_naming_it()
    {
        // A multiplicative regression takes the logarithm of what it is given: the service's own check had let a zero through
        // to the library (a 400 naming the series, not the value, without the remedy), as for any version with covariate levels.
        var node = System.Text.Json.Nodes.JsonNode.Parse(await _client.GetStringAsync("/models/driven/versions/1/weights?format=torch"))!;
        node["_forecast"]!["transform"] = "log";
        node["_forecast"]!["statistics"]!["covariateLevels"]!["multiplicative"] = true;
        Assert.Equal(HttpStatusCode.Created, (await _client.PostJsonAsync("/models/driven-share/versions", new { stateDict = node })).StatusCode);
        var version = await _client.GetFromJsonAsync<VersionResponse>("/models/driven-share/versions/1", Api.Json);
        Assert.True(version!.Architecture.Statistics!.CovariateLevels!.Multiplicative);

        var history = CovariateFixture.Target[..Train].ToArray();
        var covariates = new Dictionary<string, double[]> { ["lead"] = CovariateFixture.Lead[..Train], ["plan"] = CovariateFixture.Plan[..Train] };
        var future = new Dictionary<string, double[]> { ["plan"] = [0.5] };
        var served = await (await _client.PostJsonAsync("/models/driven-share/forecast", new { series = new[] { new { history, covariates, futureCovariates = future } } })).ReadAsync<ForecastResponse>();
        Assert.All(served.Forecasts[0].Mean, v => Assert.True(v > 0 && float.IsFinite(v)));
        history[^3] = 0;
        var oneOff = await (await _client.PostJsonAsync("/models/driven-share/forecast", new { series = new[] { new { history, covariates, futureCovariates = future } } })).ValidationErrorsAsync();
        Assert.Contains("log scale", Assert.Single(oneOff, e => e.Key == $"series[0].history[{Train - 3}]").Value[0]);
        var stream = await (await _client.PostJsonAsync("/models/driven-share/streams", new { seriesId = "y", history, covariates, futureCovariates = future })).ValidationErrorsAsync();
        Assert.Contains("log scale", Assert.Single(stream, e => e.Key == $"history[{Train - 3}]").Value[0]);

        // A future value whose factor exp(b·z) overflows is named (it had been capped at 3.4e38 and answered 200: a QA pass).
        history[^3] = CovariateFixture.Target[Train - 3];
        var overflow = await (await _client.PostJsonAsync("/models/driven-share/forecast", new { series = new[] { new
        {
            history, covariates, futureCovariates = new Dictionary<string, double[]> { ["plan"] = [1e6] },
        } } })).ValidationErrorsAsync();
        Assert.Contains("overflows", Assert.Single(overflow, e => e.Key == "series[0].futureCovariates.plan").Value[0]);
        var streamed = await (await _client.PostJsonAsync("/models/driven-share/streams", new
        {
            seriesId = "y", history, covariates, futureCovariates = new Dictionary<string, double[]> { ["plan"] = [1e6] },
        })).ValidationErrorsAsync();
        Assert.Contains("overflows", Assert.Single(streamed, e => e.Key == "futureCovariates.plan[0]").Value[0]);

        // A past value whose factor puts the history out of range names that covariate's element, one-off, opened or appended
        // (a QA pass had seen a 400 under series[0] naming every covariate read).
        var pastPlan = (double[])covariates["plan"].Clone();
        pastPlan[5] = 1e6;
        var past = new Dictionary<string, double[]> { ["lead"] = covariates["lead"], ["plan"] = pastPlan };
        var pastOneOff = await (await _client.PostJsonAsync("/models/driven-share/forecast", new { series = new[] { new { history, covariates = past, futureCovariates = future } } })).ValidationErrorsAsync();
        Assert.Contains("out of range", Assert.Single(pastOneOff, e => e.Key == "series[0].covariates.plan[5]").Value[0]);
        var pastOpened = await (await _client.PostJsonAsync("/models/driven-share/streams", new { seriesId = "y", history, covariates = past, futureCovariates = future })).ValidationErrorsAsync();
        Assert.Contains("out of range", Assert.Single(pastOpened, e => e.Key == "covariates.plan[5]").Value[0]);
        var opened = await (await _client.PostJsonAsync("/models/driven-share/streams", new { seriesId = "y", history, covariates, futureCovariates = future })).ReadAsync<StreamResponse>();
        var appended = await (await _client.PostJsonAsync($"/streams/{opened.Id}/observations", new
        {
            values = new[] { history[^1], history[^1] },
            covariates = new Dictionary<string, double[]> { ["lead"] = [0, 0], ["plan"] = [0, 1e6] },
            futureCovariates = future,
        })).ValidationErrorsAsync();
        Assert.Contains("out of range", Assert.Single(appended, e => e.Key == "covariates.plan[1]").Value[0]);
        // Timestamps that skip a day place that element one step later; it is still named as the request gives it.
        var dated = await (await _client.PostJsonAsync("/models/driven-share/streams", new { seriesId = "dated", history, covariates, futureCovariates = future, start = "2021-01-01", frequency = "daily" })).ReadAsync<StreamResponse>();
        string Day(int offset) => new DateTime(2021, 1, 1).AddDays(Train + offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var skipping = await (await _client.PostJsonAsync($"/streams/{dated.Id}/observations", new
        {
            values = new[] { history[^1], history[^1] },
            timestamps = new[] { Day(0), Day(2) },
            covariates = new Dictionary<string, double[]> { ["lead"] = [0, 0], ["plan"] = [0, 1e6] },
            futureCovariates = future,
        })).ValidationErrorsAsync();
        Assert.Contains("out of range", Assert.Single(skipping, e => e.Key == "covariates.plan[1]").Value[0]);
    }

    [Fact]
    public async Task Bad_training_covariates_are_400s_naming_them()
    {
        var values = Api.Sine(40);
        async Task<Dictionary<string, string[]>> Errors(object body) =>
            await (await _client.PostJsonAsync("/models/bad/training-jobs", body)).ValidationErrorsAsync();

        // Different names across series.
        var errors = await Errors(new
        {
            series = new object[]
            {
                new { values, covariates = new Dictionary<string, double[]> { ["temp"] = values } },
                new { values, covariates = new Dictionary<string, double[]> { ["price"] = values } },
            },
        });
        Assert.Contains("same covariates", Assert.Single(errors, e => e.Key == "series[1].covariates").Value[0]);

        // Not aligned with the values, mostly missing, or no array at all.
        errors = await Errors(new
        {
            series = new[]
            {
                new
                {
                    values,
                    covariates = new Dictionary<string, double?[]?>
                    {
                        ["short"] = new double?[39],
                        ["gaps"] = values.Select((v, i) => i % 3 == 0 ? (double?)v : null).ToArray(),
                        ["none"] = null,
                    },
                },
            },
        });
        Assert.Equal(["series[0].covariates.gaps", "series[0].covariates.none", "series[0].covariates.short"], errors.Keys.Order());
        Assert.Contains("39", errors["series[0].covariates.short"][0]);
        Assert.Contains("missing", errors["series[0].covariates.gaps"][0]);

        // NaN where a number or null belongs is named by index.
        var raw = $$$"""{"series":[{"values":[{{{string.Join(",", Enumerable.Repeat("1", 40))}}}],"covariates":{"temp":[{{{string.Join(",", Enumerable.Repeat("1", 39))}}},"Infinity"]}}]}""";
        errors = await (await _client.PostAsync("/models/bad/training-jobs", new StringContent(raw, Encoding.UTF8, "application/json"))).ValidationErrorsAsync();
        Assert.Equal(["series[0].covariates.temp[39]"], errors.Keys);

        // futureCovariates must name covariates of the series; covariates need the direct strategy.
        errors = await Errors(new { series = new[] { new { values, covariates = new Dictionary<string, double[]> { ["temp"] = values } } }, futureCovariates = new[] { "tmp" } });
        Assert.Contains("temp", Assert.Single(errors, e => e.Key == "futureCovariates[0]").Value[0]);
        errors = await Errors(new { series = new[] { new { values, covariates = new Dictionary<string, double[]> { ["temp"] = values } } }, strategy = "recursive" });
        Assert.Equal(["strategy"], errors.Keys);
    }

    [Fact]
    public async Task A_csv_upload_marks_covariate_columns_for_every_series()
    {
        var csv = new StringBuilder("day,y,y2,lead,plan\n");
        for (var t = 0; t < 120; t++)
            csv.Append(CultureInfo.InvariantCulture, $"{t},{CovariateFixture.Target[t]:R},{CovariateFixture.Target[t] + 1:R},{CovariateFixture.Lead[t]:R},{(t == 7 ? "" : CovariateFixture.Plan[t].ToString("R", CultureInfo.InvariantCulture))}\n");

        // Lists as plain text or JSON alike: ["plan"] names plan (its quotes had been read as part of the name).
        var response = await _client.PostCsvAsync("driven-csv", csv.ToString(), ("covariateColumns", "lead, plan"), ("futureCovariates", "[\"plan\"]"),
            ("inputWindow", "8"), ("horizon", "1"), ("hiddenSize", "4"), ("ensemble", "1"), ("epochs", "2"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.ReadAsync<TrainingJobResponse>();
        var spec = fixture.Factory.Services.GetRequiredService<TrainingJobStore>().GetSpec(queued.Id)!;
        Assert.Equal(["y", "y2"], spec.Series.Select(s => s.Id));
        Assert.All(spec.Series, s => Assert.Equal(["lead", "plan"], s.Covariates!.Keys.Order()));
        Assert.Null(spec.Series[1].Covariates!["plan"][7]);

        var job = await _client.WaitForEndAsync(queued.Id);
        Assert.True(job.Status == TrainingJobStatus.Succeeded, $"Job ended {job.Status}: {job.Error}");
        var version = await _client.GetFromJsonAsync<VersionResponse>("/models/driven-csv/versions/1", Api.Json);
        Assert.Equal(["lead", "plan"], version!.Architecture.Covariates);
        Assert.Equal((2, 0), (version.Metrics!.Series, version.Metrics.MissingValues)); // missing values of the targets

        // Columns that aren't there, and a file whose every value column would be a covariate.
        var errors = await (await _client.PostCsvAsync("driven-csv", csv.ToString(), ("covariateColumns", "lead,wind"))).ValidationErrorsAsync();
        Assert.Contains("wind", Assert.Single(errors, e => e.Key == "covariateColumns").Value[0]);
        errors = await (await _client.PostCsvAsync("driven-csv", csv.ToString(), ("covariateColumns", "y,y2,lead,plan"))).ValidationErrorsAsync();
        Assert.Contains("at least one", Assert.Single(errors, e => e.Key == "covariateColumns").Value[0]);
        // A list that names nothing is refused, where it had trained without covariates as if left out.
        errors = await (await _client.PostCsvAsync("driven-csv", csv.ToString(), ("covariateColumns", ","), ("futureCovariates", "\"\""))).ValidationErrorsAsync();
        Assert.Contains("names no column", Assert.Single(errors["covariateColumns"]));
        Assert.Contains("lists nothing", Assert.Single(errors["futureCovariates"]));
        // Two headers that differ only in case: a name that matches neither exactly is ambiguous (it was a 500).
        var cased = "day,y,Price,PRICE\n" + string.Join("\n", Enumerable.Range(0, 40).Select(t => $"{t},{t},1,2")) + "\n";
        errors = await (await _client.PostCsvAsync("driven-csv", cased, ("covariateColumns", "price"))).ValidationErrorsAsync();
        Assert.Equal("'price' matches the headers 'Price' and 'PRICE', which differ only in case; give one as it is written.",
            Assert.Single(errors, e => e.Key == "covariateColumns").Value[0]);

        // A bad covariate cell is named by its line and column once, not once per series.
        var bad = csv.ToString().Split('\n');
        var mostlyEmpty = string.Join('\n', bad.Select((line, i) => i > 0 && i % 3 != 0 && line.Length > 0 ? line[..line.LastIndexOf(',')] + "," : line));
        errors = await (await _client.PostCsvAsync("driven-csv", mostlyEmpty, ("covariateColumns", "lead,plan"), ("inputWindow", "8"), ("horizon", "1"))).ValidationErrorsAsync();
        var message = Assert.Single(Assert.Single(errors, e => e.Key == "file").Value);
        Assert.StartsWith("Column 5 ('plan'): Mostly missing", message);
    }
}
