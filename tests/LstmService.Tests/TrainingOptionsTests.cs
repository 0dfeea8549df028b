using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
using LstmService.Forecasts;
using LstmService.Models;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>The forecasting options of the kernel (ensemble, highway, season, search, strategy, ...) through the API.</summary>
public sealed class TrainingOptionsTests : ServiceFixture
{
    private static string Json(object value) => JsonSerializer.Serialize(value, Api.Json);

    [Fact]
    public async Task Every_option_reaches_the_stored_job_and_omitted_ones_keep_the_kernel_defaults()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0" });
        var client = factory.CreateClient();
        var store = factory.Services.GetRequiredService<TrainingJobStore>();

        // Only the series and the horizon: everything else is TrainingOptions' default (inputWindow 0 = chosen from the data).
        var job = await client.SubmitAsync("defaults", new { series = new[] { new { values = Api.Sine(60) } }, horizon = 4 });
        var expected = TrainingSettings.From(new TrainingOptions { Horizon = 4 });
        Assert.Equal(Json(expected), Json(store.GetSpec(job.Id)!.Settings));
        Assert.Equal(0, store.GetSpec(job.Id)!.Settings.InputWindow);

        // Every new field, JSON ...
        job = await client.SubmitAsync("all", new
        {
            series = new[] { new { values = Api.Sine(60) } },
            horizon = 4,
            seasonLength = 12,
            ensemble = 3,
            highway = false,
            refit = false,
            calibrate = false,
            search = true,
            strategy = "recursive",
            scaling = "seriesRobust",
        });
        var options = store.GetSpec(job.Id)!.Settings.ToOptions();
        Assert.Equal((0, 12, 3, false, false, false, true, ForecastStrategy.Recursive, ScalingMode.SeriesRobust),
            (options.InputWindow, options.SeasonLength, options.Ensemble, options.Highway, options.Refit, options.Calibrate, options.Search, options.Strategy, options.Scaling));

        // ... and as form fields of a CSV upload.
        var sine = Api.Sine(60);
        var csv = "day,y,temp\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"{i},{sine[i].ToString("F3", System.Globalization.CultureInfo.InvariantCulture)},{i % 7}\n"));
        var response = await client.PostCsvAsync("form", csv, ("horizon", "4"), ("seasonLength", "7"), ("ensemble", "2"), ("highway", "off"), ("refit", "false"),
            ("calibrate", "no"), ("search", "true"), ("strategy", "direct"), ("scaling", "seriesZScore"), ("covariateColumns", "temp"), ("futureCovariates", "temp"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var spec = store.GetSpec((await response.ReadAsync<TrainingJobResponse>()).Id)!;
        options = spec.Settings.ToOptions();
        Assert.Equal((7, 2, false, false, false, true, ForecastStrategy.Direct, ScalingMode.SeriesZScore),
            (options.SeasonLength, options.Ensemble, options.Highway, options.Refit, options.Calibrate, options.Search, options.Strategy, options.Scaling));
        Assert.Equal(["temp"], options.FutureCovariates);
        var series = Assert.Single(spec.Series);
        Assert.Equal("y", series.Id);
        Assert.Equal(["temp"], series.Covariates!.Keys);
        Assert.Equal(6.0, series.Covariates["temp"][6]);
    }

    [Fact]
    public async Task An_automatic_window_is_chosen_from_the_detected_season_and_reported()
    {
        var job = await Client.TrainAsync("auto", new { series = new[] { new { values = Api.Sine(200) } }, horizon = 6, ensemble = 1, hiddenSize = 8, epochs = 5 });
        var version = await Client.GetFromJsonAsync<VersionResponse>($"/models/auto/versions/{job.Version}", Api.Json);
        Assert.Equal(0, version!.Training!.InputWindow);
        Assert.Equal(12, version.Architecture.SeasonLength);
        Assert.True(version.InputWindow >= 2, $"inputWindow {version.InputWindow}");
        // The window is the longest AR order of the highway (orders of 0.5 to 3 seasons, of the model's season or of another
        // period the detector found, so not necessarily multiples of 12).
        Assert.Equal(version.InputWindow, version.Architecture.Highway!.Window);
        Assert.All(version.Architecture.Highway.Orders, o => Assert.InRange(o, 2, version.InputWindow));

        var forecast = await Client.PostJsonAsync("/models/auto/forecast", new { series = new[] { new { history = Api.Sine(version.InputWindow) } } });
        Assert.Equal(HttpStatusCode.OK, forecast.StatusCode);
        var errors = await (await Client.PostJsonAsync("/models/auto/forecast", new { series = new[] { new { history = Api.Sine(version.InputWindow - 1) } } })).ValidationErrorsAsync();
        Assert.Contains($"inputWindow is {version.InputWindow}", errors["series[0].history"][0]);
    }

    [Fact]
    public async Task A_version_whose_season_only_theta_repeats_needs_two_periods_of_history()
    {
        // Two years of monthly values: the season is theta's alone, and its index needs both years. A shorter history had been
        // forecast as a trend run on from the last peak (a QA pass), where the input window alone let it through.
        var rng = new Random(5);
        var values = Enumerable.Range(0, 24).Select(t => 100 + 0.5 * t + 30 * Math.Sin(2 * Math.PI * t / 12) + 2 * rng.NextDouble()).ToArray();
        var job = await Client.TrainAsync("two-years", new { series = new[] { new { values } }, horizon = 12, ensemble = 1, hiddenSize = 8, epochs = 3 });
        var version = await Client.GetFromJsonAsync<VersionResponse>($"/models/two-years/versions/{job.Version}", Api.Json);
        Assert.Equal(12, version!.Architecture.SeasonLength);
        Assert.True(version.InputWindow < 23, $"inputWindow {version.InputWindow}");

        var forecast = await Client.PostJsonAsync("/models/two-years/forecast", new { series = new[] { new { history = values } } });
        Assert.Equal(HttpStatusCode.OK, forecast.StatusCode);
        var errors = await (await Client.PostJsonAsync("/models/two-years/forecast", new { series = new[] { new { history = values[1..] } } })).ValidationErrorsAsync();
        Assert.Equal("Too short: 23 values, but this version repeats a season of 12 with the theta method alone, whose seasonal index needs two periods (24 values).",
            Assert.Single(errors["series[0].history"]));
        // Values missing before the first observed one do not count (a QA pass: 23 values behind a null had been forecast flat).
        double?[] behindNulls = [null, null, .. values[2..].Select(v => (double?)v)];
        errors = await (await Client.PostJsonAsync("/models/two-years/forecast", new { series = new[] { new { history = behindNulls } } })).ValidationErrorsAsync();
        Assert.Equal("Too short: 22 values from the first observed one (2 missing before it), but this version repeats a season of 12 with the theta method alone, whose seasonal index needs two periods (24 values).",
            Assert.Single(errors["series[0].history"]));
        // Nor do those after the last observed one: a trailing gap is forecast through, but adds no observed value.
        double?[] beforeNulls = [.. values[..22].Select(v => (double?)v), null, null];
        errors = await (await Client.PostJsonAsync("/models/two-years/forecast", new { series = new[] { new { history = beforeNulls } } })).ValidationErrorsAsync();
        Assert.StartsWith("Too short: 22 values up to the last observed one (2 missing after it), but this version repeats a season of 12",
            Assert.Single(errors["series[0].history"]));
        // A stream opened on it too.
        var stream = await (await Client.PostJsonAsync("/models/two-years/streams", new { seriesId = "shop", history = values[1..] })).ValidationErrorsAsync();
        Assert.StartsWith("Too short: 23 values, but this version repeats a season of 12", Assert.Single(stream["history"]));
        stream = await (await Client.PostJsonAsync("/models/two-years/streams", new { seriesId = "shop", history = behindNulls })).ValidationErrorsAsync();
        Assert.StartsWith("Too short: 22 values from the first observed one (2 missing before it)", Assert.Single(stream["history"]));
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/models/two-years/streams", new { seriesId = "shop", history = values })).StatusCode);
    }

    [Fact]
    public async Task A_far_shorter_series_trains_beside_the_others_without_shrinking_their_window()
    {
        // A QA pass: a new shop of 15 values beside seasonal ones of 60 and 100 had made every shop's window 2.
        var job = await Client.TrainAsync("shops", new
        {
            series = new[] { new { id = "a", values = Api.Sine(100) }, new { id = "b", values = Api.Sine(60) }, new { id = "c", values = Api.Sine(15) } },
            horizon = 6, ensemble = 1, hiddenSize = 8, epochs = 3,
        });
        var version = await Client.GetFromJsonAsync<VersionResponse>($"/models/shops/versions/{job.Version}", Api.Json);
        Assert.True(version!.InputWindow >= 12, $"inputWindow {version.InputWindow}");
        Assert.Equal(12, version.Architecture.Statistics!.Smoothing.Season);
        var forecast = await Client.PostJsonAsync("/models/shops/forecast", new { series = new[] { new { id = "a", history = Api.Sine(100) } } });
        Assert.Equal(HttpStatusCode.OK, forecast.StatusCode);
        // The short shop's forecast needs the window's values, and says so.
        var errors = await (await Client.PostJsonAsync("/models/shops/forecast", new { series = new[] { new { id = "c", history = Api.Sine(15) } } })).ValidationErrorsAsync();
        Assert.Contains($"inputWindow is {version.InputWindow}", errors["series[0].history"][0]);
    }

    [Fact]
    public async Task The_shortest_series_the_validator_accepts_trains()
    {
        // The kernel's minimum for an automatic window (2 + horizon observed values), checked at submit time by the kernel itself.
        var values = Api.Sine(5);
        var job = await Client.TrainAsync("shortest", new { series = new[] { new { values } }, horizon = 3, ensemble = 1, hiddenSize = 4, epochs = 2 });
        var version = await Client.GetFromJsonAsync<VersionResponse>($"/models/shortest/versions/{job.Version}", Api.Json);
        Assert.Equal(2, version!.InputWindow);

        // One value less is a 400, not a failed job.
        var errors = await (await Client.PostJsonAsync("/models/shortest/training-jobs", new { series = new[] { new { values = values[..4] } }, horizon = 3 })).ValidationErrorsAsync();
        Assert.Contains("Too short", errors["series[0].values"][0]);
    }

    [Fact]
    public async Task Search_reports_every_candidate_and_trains_the_chosen_one()
    {
        var job = await Client.TrainAsync("searched", new
        {
            series = new[] { new { values = Api.Sine(120) } },
            inputWindow = 12,
            horizon = 3,
            hiddenSize = 4,
            ensemble = 1,
            epochs = 3,
            search = true,
        });
        var version = await Client.GetFromJsonAsync<VersionResponse>($"/models/searched/versions/{job.Version}", Api.Json);
        Assert.True(version!.Training!.Search);
        var candidates = version.Metrics!.Search!;
        Assert.True(candidates.Count >= 3, $"{candidates.Count} candidates");
        Assert.Contains(candidates, c => c.Name == "as requested" && c.HiddenSize == 4 && c.InputWindow == 12);
        var chosen = Assert.Single(candidates, c => c.Chosen);
        Assert.NotNull(chosen.ValidationMase);
        Assert.All(candidates.Where(c => c.ValidationMase is not null), c => Assert.True(chosen.ValidationMase <= c.ValidationMase));
        // The version is the chosen candidate.
        Assert.Equal((chosen.HiddenSize, chosen.Layers), (version.Architecture.HiddenSize, version.Architecture.Layers));
        Assert.Equal(chosen.InputWindow, version.InputWindow);

        var json = JsonDocument.Parse(await Client.GetStringAsync($"/models/searched/versions/{job.Version}")).RootElement;
        Assert.Equal(candidates.Count, json.GetProperty("metrics").GetProperty("search").GetArrayLength());
    }

    [Fact]
    public async Task A_recursive_model_has_a_one_step_head_and_forecasts_the_whole_horizon()
    {
        var job = await Client.TrainAsync("recursive", new
        {
            series = new[] { new { values = Api.Sine(100) } },
            inputWindow = 12,
            horizon = 4,
            hiddenSize = 4,
            ensemble = 1,
            epochs = 3,
            strategy = "recursive",
        });
        var version = await Client.GetFromJsonAsync<VersionResponse>($"/models/recursive/versions/{job.Version}", Api.Json);
        Assert.Equal(ForecastStrategy.Recursive, version!.Architecture.Strategy);
        Assert.Equal(1 + 3, version.Architecture.OutputSize); // one step: the mean and three quantiles
        Assert.Equal(4, version.Horizon);

        var response = await Client.PostJsonAsync("/models/recursive/forecast", new { series = new[] { new { history = Api.Sine(24) } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var forecast = Assert.Single((await response.ReadAsync<ForecastResponse>()).Forecasts);
        Assert.Equal(4, forecast.Mean.Length);
        Assert.All(forecast.Quantiles.Values, q => Assert.Equal(4, q.Length));

        // The state dict of a recursive model registers back with strategy recursive (and not as a direct one).
        var stateDict = JsonDocument.Parse(await Client.GetStringAsync($"/models/recursive/versions/{job.Version}/weights?format=torch")).RootElement;
        var register = new { stateDict, inputWindow = 12, horizon = 4, quantiles = version.Quantiles, strategy = "recursive" };
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/models/recursive-copy/versions", register)).StatusCode);
        var copy = await (await Client.PostJsonAsync("/models/recursive-copy/forecast", new { series = new[] { new { history = Api.Sine(24) } } })).ReadAsync<ForecastResponse>();
        Assert.Equal(forecast.Mean, Assert.Single(copy.Forecasts).Mean);
        var errors = await (await Client.PostJsonAsync("/models/recursive-direct/versions", register with { strategy = "direct" })).ValidationErrorsAsync();
        Assert.Equal(["strategy"], errors.Keys); // the request's own setting, which contradicts the document's
    }

    [Fact]
    public async Task A_long_gap_in_the_validation_part_trains_and_the_version_counts_the_missing_values()
    {
        // 200 points, 150..165 missing: the validation part (the last 40) starts inside the gap, so several of its origins
        // have a mostly missing input window; they are skipped, not a failed job.
        var values = Api.Sine(200).Select((v, i) => i is >= 150 and <= 165 ? (double?)null : v).ToArray();
        var job = await Client.TrainAsync("gappy", new { series = new[] { new { values } }, inputWindow = 12, horizon = 3, hiddenSize = 4, ensemble = 1, epochs = 3 });
        var version = await Client.GetFromJsonAsync<VersionResponse>($"/models/gappy/versions/{job.Version}", Api.Json);
        Assert.Equal(16, version!.Metrics!.MissingValues);
        Assert.Equal(200, version.Metrics.Points);
        var json = JsonDocument.Parse(await Client.GetStringAsync($"/models/gappy/versions/{job.Version}")).RootElement;
        var backtest = json.GetProperty("metrics").GetProperty("backtest");
        Assert.True(backtest.GetProperty("model").GetProperty("points").GetInt32() > 0, backtest.ToString());

        // A history ending in the gap is forecast through it up to the longest gap the version allows (12: its window, more
        // than 4 horizons); one ending deeper in it is refused at forecast time, naming the series.
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync("/models/gappy/forecast", new { series = new[] { new { history = values[..162] } } })).StatusCode);
        var history = values[..163];
        var errors = await (await Client.PostJsonAsync("/models/gappy/forecast", new { series = new object[] { new { history = Api.Sine(20) }, new { history } } })).ValidationErrorsAsync();
        Assert.Contains("series[1].history", errors.Keys);
    }

    [Fact]
    public async Task The_kernel_checks_run_at_submit_time_and_name_every_field()
    {
        // Rules that are the kernel's alone (no copy of them in the service) still answer 400 before a job exists.
        var errors = await (await Client.PostJsonAsync("/models/kernel-rules/training-jobs", new
        {
            series = new object[]
            {
                new { values = Api.Sine(40), covariates = new Dictionary<string, double[]> { ["temp"] = Api.Sine(40) } },
                new { values = Api.Sine(6), covariates = new Dictionary<string, double[]> { ["temp"] = Api.Sine(6) } },
            },
            inputWindow = 8,
            horizon = 2,
            futureCovariates = new[] { "temp", "temp" },
        })).ValidationErrorsAsync();
        Assert.Equal(["futureCovariates[1]", "series[1].values"], errors.Keys.Order());
        Assert.Contains("inputWindow + horizon = 8 + 2 = 10", errors["series[1].values"][0]);
        Assert.Empty(await Client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs?model=kernel-rules", Api.Json) ?? []);

        // A field the service already named (a NaN literal) is not named again by the kernel's length rule.
        var raw = $$"""{"series":[{"values":[1,2,"NaN"]}],"horizon":1}""";
        errors = await (await Client.PostAsync("/models/kernel-rules/training-jobs", new StringContent(raw, System.Text.Encoding.UTF8, "application/json"))).ValidationErrorsAsync();
        Assert.Equal(["series[0].values[2]"], errors.Keys);
        // The service names the request's quantile; the kernel (which sees the levels sorted) doesn't add another index.
        errors = await (await Client.PostJsonAsync("/models/kernel-rules/training-jobs", new { series = new[] { new { values = Api.Sine(40) } }, quantiles = new[] { 1.2, 0.5 } })).ValidationErrorsAsync();
        Assert.Equal(["quantiles[0]"], errors.Keys);
    }

    [Fact]
    public async Task Options_the_kernel_would_reject_are_400s_naming_the_field()
    {
        var errors = await (await Client.PostJsonAsync("/models/bad/training-jobs", new
        {
            series = new[] { new { values = Api.Sine(60) } },
            strategy = "recursive",
            futureCovariates = new[] { "temp" },
        })).ValidationErrorsAsync();
        Assert.Equal(["futureCovariates[0]", "strategy"], errors.Keys.Order());
    }

    [Fact]
    public async Task The_same_request_and_seed_give_bit_identical_weights_and_forecasts()
    {
        object Request(ulong seed) => new
        {
            series = new[] { new { id = "a", values = Api.Sine(120) }, new { id = "b", values = Api.Sine(90, start: 5, level: 3) } },
            horizon = 3, inputWindow = 12, hiddenSize = 8, epochs = 4, ensemble = 2, seed,
        };
        var first = await Client.TrainAsync("repro", Request(7));
        var second = await Client.TrainAsync("repro", Request(7));
        var other = await Client.TrainAsync("repro", Request(8));
        async Task<string> Sha(int? version) =>
            (await Client.GetFromJsonAsync<VersionResponse>($"/models/repro/versions/{version}", Api.Json))!.Weights.Sha256;
        Assert.Equal(await Sha(first.Version), await Sha(second.Version));
        Assert.NotEqual(await Sha(first.Version), await Sha(other.Version));

        var body = new { series = new[] { new { id = "a", history = Api.Sine(40, start: 120) } } };
        async Task<string> Forecast(int? version)
        {
            var response = await Client.PostJsonAsync($"/models/repro/forecast?version={version}", body);
            var forecast = await response.ReadAsync<ForecastResponse>();
            return Json(forecast.Forecasts);
        }
        Assert.Equal(await Forecast(first.Version), await Forecast(second.Version));
    }
}
