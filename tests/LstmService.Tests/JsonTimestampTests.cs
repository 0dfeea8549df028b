using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using LstmService.Forecasts;
using LstmService.Infrastructure;
using LstmService.Models;
using LstmService.Registry;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// Timing in JSON requests: a training series' start and frequency or its timestamps (sorted, gaps as missing values), the
/// frequency's season suggestion, the version's timing, and forecasts that carry a timestamp per step.
/// </summary>
public sealed partial class JsonTimestampTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.Client;

    private static string Month(int i) => new DateTime(2020, 1, 1).AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static DateTimeOffset Utc(int year, int month, int day = 1) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    private static object Tiny(object series, string? frequency = null, int? seasonLength = null, int horizon = 3) => new
    {
        series = new[] { series },
        frequency,
        seasonLength,
        horizon,
        inputWindow = 12,
        hiddenSize = 4,
        epochs = 2,
        batchSize = 16,
        ensemble = 1,
    };

    private async Task<VersionResponse> TrainAsync(string model, object request)
    {
        var job = await _client.TrainAsync(model, request);
        return (await _client.GetFromJsonAsync<VersionResponse>($"/models/{model}/versions/{job.Version}", Api.Json))!;
    }

    private async Task<SeriesForecastResponse> ForecastAsync(string model, object series, string? frequency = null)
    {
        var response = await _client.PostJsonAsync($"/models/{model}/forecast", new { series = new[] { series }, frequency });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single((await response.ReadAsync<ForecastResponse>()).Forecasts);
    }

    [Theory]
    [InlineData("monthly", "P1M", new[] { 12 })]
    [InlineData("quarterly", "P3M", new[] { 4 })]
    [InlineData("P3M", "P3M", new[] { 4 })]
    [InlineData("yearly", "P1Y", new int[0])]
    [InlineData("P12M", "P1Y", new int[0])]
    [InlineData("weekly", "P1W", new[] { 52 })]
    [InlineData("P7D", "P1W", new[] { 52 })]
    [InlineData("daily", "P1D", new[] { 7 })]
    [InlineData("hourly", "PT1H", new[] { 24, 168 })]
    [InlineData("PT1H", "PT1H", new[] { 24, 168 })]
    [InlineData("30min", "PT30M", new[] { 48, 336 })]
    [InlineData("half-hourly", "PT30M", new[] { 48, 336 })]
    [InlineData("PT15M", "PT15M", new[] { 96, 672 })]
    [InlineData("2h", "PT2H", new[] { 12, 84 })]
    [InlineData("P2M", "P2M", new[] { 6 })]
    [InlineData("PT1M", "PT1M", new int[0])] // a day of minutes (1440) is past the longest season
    public void Frequencies_parse_and_suggest_their_seasons(string text, string iso, int[] seasons)
    {
        var frequency = TimeFrequency.Parse(text);
        Assert.NotNull(frequency);
        Assert.Equal(iso, frequency.Value.ToIso());
        Assert.Equal(frequency, TimeFrequency.Parse(iso));
        Assert.Equal(seasons, frequency.Value.SuggestedSeasons());
    }

    [Theory]
    [InlineData("fortnightly")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("P0M")]
    [InlineData("P1M2D")]
    [InlineData("")]
    public void Unknown_frequencies_are_refused(string text) => Assert.Null(TimeFrequency.Parse(text));

    [Fact]
    public void Timestamps_put_the_values_in_time_order_and_a_missing_time_becomes_a_missing_value()
    {
        // 40 months with months 5 and 17 absent, sent in reverse order: the value of month i is i.
        var months = Enumerable.Range(0, 40).Where(i => i is not 5 and not 17).Reverse().ToArray();
        var request = new TrainingRequest
        {
            Series = [new SeriesInput { Id = "m", Values = [.. months.Select(i => (double?)i)], Timestamps = [.. months.Select(Month)] }],
            Horizon = 2,
        };
        var errors = new ValidationErrors();
        var spec = TrainingRequestValidator.Validate(request, new TrainingQueueOptions(), errors);
        Assert.True(spec is not null, string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => i is 5 or 17 ? null : (double?)i), spec.Series[0].Values);
        Assert.Equal("P1M", spec.Settings.Frequency);
        Assert.Equal(new SeriesTiming("m", Utc(2020, 1), Utc(2023, 4), MonthDay: 1, TrailingMissing: 0, LeadingMissing: 0), Assert.Single(spec.Settings.Timing!));
        // The inferred monthly frequency suggests a season of 12 to the trainer.
        Assert.Equal(new[] { 12 }, spec.Settings.ToOptions().SeasonCandidates);
    }

    [Fact]
    public void A_series_opened_after_the_middle_is_not_mostly_missing()
    {
        // A wide CSV's column (or a JSON series) for a shop opened after the file's middle: its leading missing values are
        // left out of training (the kernel's ForecastTrainer.WithoutMissingEnds), so it is no longer refused as mostly
        // missing; the request keeps its values and dates as sent.
        var values = Enumerable.Repeat((double?)null, 30).Concat(Api.Sine(24).Select(v => (double?)v)).ToArray();
        var request = new TrainingRequest { Series = [new SeriesInput { Id = "late", Values = values, Start = "2020-01" }], Frequency = "monthly", Horizon = 2 };
        var errors = new ValidationErrors();
        var spec = TrainingRequestValidator.Validate(request, new TrainingQueueOptions(), errors);
        Assert.True(spec is not null, string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        Assert.Equal(values, spec.Series[0].Values);
        Assert.Equal(new SeriesTiming("late", Utc(2020, 1), Utc(2024, 6), MonthDay: 1, TrailingMissing: 0, LeadingMissing: 30), Assert.Single(spec.Settings.Timing!));
        // Missing values between the first observed one and the last still count (those after the last do not, as those
        // before the first: 12 of 24 observed then two nulls had been refused, and train now).
        var holey = values.Select((v, t) => t >= 30 && t % 3 != 0 ? null : v).Concat([null, null]).ToArray();
        var refused = new ValidationErrors();
        Assert.Null(TrainingRequestValidator.Validate(request with { Series = [new SeriesInput { Values = holey }] }, new TrainingQueueOptions(), refused));
        Assert.Contains("from the first observed one to the last", Assert.Single(refused.ToDictionary()["series[0].values"]));
        var ended = values.Select((v, t) => t >= 30 && t % 2 == 0 ? null : v).Concat([null, null]).ToArray();
        Assert.NotNull(TrainingRequestValidator.Validate(request with { Series = [new SeriesInput { Values = ended }] }, new TrainingQueueOptions(), new ValidationErrors()));
    }

    [Fact]
    public void Without_timing_the_options_are_those_of_before()
    {
        var request = new TrainingRequest { Series = [new SeriesInput { Values = [.. Api.Sine(60).Select(v => (double?)v)] }], Horizon = 2 };
        var spec = TrainingRequestValidator.Validate(request, new TrainingQueueOptions(), new ValidationErrors())!;
        Assert.Null(spec.Settings.Frequency);
        Assert.Null(spec.Settings.Timing);
        Assert.Null(spec.Settings.ToOptions().SeasonCandidates);
    }

    [Fact]
    public async Task Bad_timing_answers_400_naming_each_field()
    {
        var values = Api.Sine(30);
        var timestamps = Enumerable.Range(0, 30).Select(Month).ToArray();
        timestamps[3] = "yesterday";
        timestamps[7] = timestamps[6];
        var response = await _client.PostJsonAsync("/models/bad-timing/training-jobs", new
        {
            frequency = "fortnightly",
            series = new object[]
            {
                new { values, timestamps = timestamps.Take(29) },                           // one short
                new { values, timestamps },                                                // a bad time
                new { values, start = "2020-01", timestamps = timestamps.Take(30) },       // both
                new { values, start = "soon" },
            },
        });
        var errors = await response.ValidationErrorsAsync();
        Assert.Contains("frequency", errors.Keys);
        Assert.Contains("one timestamp per value", Assert.Contains("series[0].timestamps", errors).Single());
        Assert.Contains("'yesterday' is not a time", Assert.Contains("series[1].timestamps[3]", errors).Single());
        Assert.Contains("not both", Assert.Contains("series[2].start", errors).Single());
        Assert.Contains("'soon' is not a time", Assert.Contains("series[3].start", errors).Single());

        timestamps[3] = Month(3);
        var duplicate = await (await _client.PostJsonAsync("/models/bad-timing/training-jobs", new { series = new[] { new { values, timestamps } } })).ValidationErrorsAsync();
        Assert.Contains("repeats timestamps[6]", Assert.Contains("series[0].timestamps[7]", duplicate).Single());

        var noFrequency = await (await _client.PostJsonAsync("/models/bad-timing/training-jobs", new { series = new[] { new { values, start = "2020-01" } } })).ValidationErrorsAsync();
        Assert.Contains("needs the request's frequency", Assert.Contains("series[0].start", noFrequency).Single());

        var late = await (await _client.PostJsonAsync("/models/bad-timing/training-jobs", new { frequency = "yearly", series = new[] { new { values, start = "9990" } } })).ValidationErrorsAsync();
        Assert.Contains("would pass the year 9999", Assert.Contains("series[0].start", late).Single());

        var offGrid = timestamps.Select((t, i) => i == 10 ? "2020-11-15" : t).ToArray();
        offGrid[7] = Month(7);
        var grid = await (await _client.PostJsonAsync("/models/bad-timing/training-jobs", new { frequency = "monthly", series = new[] { new { values, timestamps = offGrid } } })).ValidationErrorsAsync();
        Assert.Contains("not a whole number of 1 month steps", Assert.Contains("series[0].timestamps[10]", grid).Single());
        // Evenly spaced at another step than the frequency given: the message says both steps, not "must be evenly spaced".
        var monthly = values.Select((_, i) => Month(i)).ToArray();
        var other = await (await _client.PostJsonAsync("/models/bad-timing/training-jobs", new { frequency = "P2M", series = new[] { new { values, timestamps = monthly } } })).ValidationErrorsAsync();
        var message = Assert.Contains("series[0].timestamps[1]", other).Single();
        Assert.Contains("the timestamps step by 1 month (P1M), but the frequency is 2 months (P2M)", message);
        Assert.DoesNotContain("evenly spaced", message);
        // Coarser than the frequency given (every other month on a monthly grid): refused naming both steps, not read as a
        // series half missing.
        var everyOther = values.Select((_, i) => Month(2 * i)).ToArray();
        var coarse = await (await _client.PostJsonAsync("/models/bad-timing/training-jobs", new { frequency = "monthly", series = new[] { new { values, timestamps = everyOther } } })).ValidationErrorsAsync();
        Assert.Contains("No two timestamps are one 1 month step apart: the timestamps step by 2 months (P2M), but the frequency is 1 month (P1M)",
            Assert.Contains("series[0].timestamps[1]", coarse).Single());

        // Without a frequency the step is the most common distance, so one stray time is named instead of halving the grid.
        var hourly = values.Select((_, i) => new DateTimeOffset(2021, 3, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        hourly[5] = hourly[5][..^2] + "30";
        var stray = await (await _client.PostJsonAsync("/models/bad-timing/training-jobs", new { series = new[] { new { values, timestamps = hourly } } })).ValidationErrorsAsync();
        Assert.Contains("not a whole number of 1 hour steps", Assert.Contains("series[0].timestamps[5]", stray).Single());

        // Times hours apart on no grid of minutes are told so (a QA pass had read that they were less than a minute apart).
        var offMinutes = values.Select((_, i) => new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(26000.0 * i).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var seconds = await (await _client.PostJsonAsync("/models/bad-timing/training-jobs", new { series = new[] { new { values, timestamps = offMinutes } } })).ValidationErrorsAsync();
        var told = Assert.Contains("series[0].timestamps[1]", seconds).Single();
        Assert.Contains("most often 07:13:20 apart, not a whole number of minutes", told);
        Assert.DoesNotContain("less than a minute", told);

        // So does a stray date among monthly ones, with or without the frequency (the calendar had been given up for 31 days).
        var months = values.Select((_, i) => Month(i)).ToArray();
        months[7] += "-28";
        foreach (var frequency in new[] { null, "monthly" })
        {
            var strayDate = await (await _client.PostJsonAsync("/models/bad-timing/training-jobs", new { frequency, series = new[] { new { values, timestamps = months } } })).ValidationErrorsAsync();
            var named = Assert.Contains("series[0].timestamps[7]", strayDate).Single();
            Assert.Contains("not a whole number of 1 month steps", named);
            Assert.DoesNotContain("days", named);
        }
    }

    [Fact]
    public async Task A_dated_model_forecasts_with_timestamps()
    {
        var version = await TrainAsync("dated", Tiny(new { id = "sine", values = Api.Sine(80), start = "2015-01-31" }, frequency: "monthly"));
        Assert.Equal("P1M", version.Training!.Frequency);
        var timing = version.Timing!;
        Assert.Equal("P1M", timing.Frequency);
        var series = Assert.Single(timing.Series);
        Assert.Equal(("sine", Utc(2015, 1, 31), Utc(2021, 8, 31)), (series.Id, series.Start, series.End)); // month-ends stay month-ends

        // Named like the training series, a history without dates continues it.
        var history = Api.Sine(24, start: 80);
        var continued = await ForecastAsync("dated", new { id = "sine", history });
        Assert.Equal(["2021-09-30T00:00:00+00:00", "2021-10-31T00:00:00+00:00", "2021-11-30T00:00:00+00:00"], continued.Timestamps);
        // A history longer than the training series (its 80 values and 3 more) holds values that came after it.
        var extended = await ForecastAsync("dated", new { id = "sine", history = Api.Sine(83) });
        Assert.Equal(["2021-12-31T00:00:00+00:00", "2022-01-31T00:00:00+00:00", "2022-02-28T00:00:00+00:00"], extended.Timestamps);

        // Another series dates itself with a start (the version's frequency steps it) ...
        var started = await ForecastAsync("dated", new { id = "other", history, start = "2030-01" });
        Assert.Equal(["2032-01-01T00:00:00+00:00", "2032-02-01T00:00:00+00:00", "2032-03-01T00:00:00+00:00"], started.Timestamps);
        Assert.Equal(continued.Mean, started.Mean);

        // ... or with timestamps in any order, a missing month becoming a missing value.
        var months = Enumerable.Range(0, 24).Where(i => i != 20).ToArray();
        var shuffled = months.Reverse().ToArray();
        var stamped = await ForecastAsync("dated", new { history = shuffled.Select(i => history[i]), timestamps = shuffled.Select(Month) });
        var gapped = await ForecastAsync("dated", new { history = Enumerable.Range(0, 24).Select(i => i == 20 ? (double?)null : history[i]) });
        Assert.Equal(["2022-01-01T00:00:00+00:00", "2022-02-01T00:00:00+00:00", "2022-03-01T00:00:00+00:00"], stamped.Timestamps);
        Assert.Equal(gapped.Mean, stamped.Mean);

        // Undated and unnamed: no timestamps, and the answer is the one it always was.
        Assert.Null(gapped.Timestamps);
        var raw = await (await _client.PostJsonAsync("/models/dated/forecast", new { series = new[] { new { history } } })).Content.ReadAsStringAsync();
        Assert.DoesNotContain("timestamps", raw);
    }

    [Fact]
    public async Task Bad_forecast_timing_answers_400_naming_each_field()
    {
        await TrainAsync("dated-bad", Tiny(new { id = "sine", values = Api.Sine(80), start = "2015-01" }, frequency: "monthly"));
        var history = Api.Sine(24);
        var response = await _client.PostJsonAsync("/models/dated-bad/forecast", new
        {
            frequency = "weekly",
            series = new object[] { new { history } },
        });
        Assert.Contains("trained on data sampled every 1 month", Assert.Contains("frequency", await response.ValidationErrorsAsync()).Single());

        var stamps = Enumerable.Range(0, 24).Select(Month).ToArray();
        stamps[5] = "05/06/2020";
        var errors = await (await _client.PostJsonAsync("/models/dated-bad/forecast", new
        {
            series = new object[]
            {
                new { history, timestamps = stamps.Take(23) },
                new { history, timestamps = stamps },
                new { history, start = "2020-01", timestamps = stamps },
                new { history, start = "then" },
            },
        })).ValidationErrorsAsync();
        Assert.Contains("one timestamp per history value", Assert.Contains("series[0].timestamps", errors).Single());
        Assert.Contains("'05/06/2020' is not a time", Assert.Contains("series[1].timestamps[5]", errors).Single());
        Assert.Contains("not both", Assert.Contains("series[2].start", errors).Single());
        Assert.Contains("'then' is not a time", Assert.Contains("series[3].start", errors).Single());

        // Yearly timestamps on the monthly version (a QA pass: "mostly missing", without a word about the timestamps).
        var yearly = await (await _client.PostJsonAsync("/models/dated-bad/forecast", new
        {
            series = new[] { new { history, timestamps = Enumerable.Range(0, 24).Select(i => Month(12 * i)) } },
        })).ValidationErrorsAsync();
        Assert.Contains("the timestamps step by 1 year (P1Y), but the frequency is 1 month (P1M)", Assert.Contains("series[0].timestamps[1]", yearly).Single());

        var late = await (await _client.PostJsonAsync("/models/dated-bad/forecast", new { series = new[] { new { history, start = "9997-12" } } })).ValidationErrorsAsync();
        Assert.Contains("would pass the year 9999", Assert.Contains("series[0].start", late).Single());

        // A version that does not know its frequency needs the request's to date a history.
        await TrainAsync("undated", Tiny(new { values = Api.Sine(80) }));
        var undated = await (await _client.PostJsonAsync("/models/undated/forecast", new { series = new[] { new { history, start = "2020-01" } } })).ValidationErrorsAsync();
        Assert.Contains("does not know its frequency", Assert.Contains("series[0].start", undated).Single());
        var dated = await ForecastAsync("undated", new { history, start = "2020-01" }, frequency: "quarterly");
        Assert.Equal("2026-01-01T00:00:00+00:00", dated.Timestamps![0]);
    }

    [Fact]
    public async Task The_frequency_suggests_the_season_and_an_explicit_season_wins()
    {
        // A season of 12 with noise: found when the frequency is unknown or monthly, not looked for in weekly data (52), and
        // imposed by seasonLength whatever the frequency.
        var rng = new Random(7);
        var values = Api.Sine(160).Select(v => v + rng.NextDouble()).ToArray();
        int ThetaSeason(VersionResponse v) => v.Architecture.Statistics!.ThetaSeason;
        Assert.Equal(12, ThetaSeason(await TrainAsync("season-unknown", Tiny(new { values }))));
        Assert.Equal(12, ThetaSeason(await TrainAsync("season-monthly", Tiny(new { values }, frequency: "monthly"))));
        Assert.Equal(1, ThetaSeason(await TrainAsync("season-weekly", Tiny(new { values }, frequency: "weekly"))));
        Assert.Equal(12, ThetaSeason(await TrainAsync("season-given", Tiny(new { values }, frequency: "weekly", seasonLength: 12))));
    }

    [Fact]
    public async Task A_csv_upload_dates_its_version_and_the_forecasts_of_its_series()
    {
        var response = await _client.PostCsvAsync("csv-dated", await File.ReadAllBytesAsync(Api.SunspotsCsvPath),
            ("horizon", "3"), ("epochs", "2"), ("ensemble", "1"), ("hiddenSize", "4"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await _client.WaitForEndAsync((await response.ReadAsync<TrainingJobResponse>()).Id);
        Assert.Equal(TrainingJobStatus.Succeeded, job.Status);
        var version = (await _client.GetFromJsonAsync<VersionResponse>($"/models/csv-dated/versions/{job.Version}", Api.Json))!;
        var series = Assert.Single(version.Timing!.Series);
        Assert.Equal(("P1Y", "sunspots", Utc(1700, 1), Utc(2008, 1)), (version.Timing.Frequency, series.Id, series.Start, series.End));

        var forecast = await ForecastAsync("csv-dated", new { id = "sunspots", history = Api.Sine(40, level: 60, amplitude: 50, period: 11) });
        Assert.Equal(["2009-01-01T00:00:00+00:00", "2010-01-01T00:00:00+00:00", "2011-01-01T00:00:00+00:00"], forecast.Timestamps);

        var conflict = await _client.PostCsvAsync("csv-dated", await File.ReadAllBytesAsync(Api.SunspotsCsvPath), ("frequency", "monthly"));
        Assert.Contains("time column steps by 1 year", Assert.Contains("frequency", await conflict.ValidationErrorsAsync()).Single());
        var unknown = await _client.PostCsvAsync("csv-dated", await File.ReadAllBytesAsync(Api.SunspotsCsvPath), ("frequency", "fortnightly"));
        Assert.Contains("Unknown frequency 'fortnightly'", Assert.Contains("frequency", await unknown.ValidationErrorsAsync()).Single());
        // A CSV's version ends at its last row, with that row's offset and day of the month: daily rows at Berlin midnight
        // across the change to summer time, forecast at local midnight after it; monthly rows on the 28th from a February.
        var berlin = "date,visits\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => new DateTime(2024, 3, 10).AddDays(i))
            .Select((d, i) => $"{d:yyyy-MM-dd}T00:00:00{(d >= new DateTime(2024, 4, 1) ? "+02:00" : "+01:00")},{Api.Sine(40)[i].ToString(CultureInfo.InvariantCulture)}")) + "\n";
        var daily = await TrainCsvAsync("csv-berlin", berlin);
        Assert.Equal(new DateTimeOffset(2024, 4, 18, 0, 0, 0, TimeSpan.FromHours(2)), Assert.Single(daily.Timing!.Series).End);
        Assert.Equal("2024-04-19T00:00:00+02:00", (await ForecastAsync("csv-berlin", new { id = "visits", history = Api.Sine(40) })).Timestamps![0]);
        var day28 = "date,sales\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"{new DateTime(2021, 2, 28).AddMonths(i):yyyy-MM-dd},{Api.Sine(30)[i].ToString(CultureInfo.InvariantCulture)}")) + "\n";
        await TrainCsvAsync("csv-28th", day28);
        Assert.Equal("2023-08-28T00:00:00+00:00", (await ForecastAsync("csv-28th", new { id = "sales", history = Api.Sine(30) })).Timestamps![0]);
        // On the 30th from a February (28 February, 30 March, ...): the version keeps the 30th after a 31-day month.
        var day30 = "date,sales\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => new DateTime(2021, 2, 1).AddMonths(i))
            .Select((m, i) => $"{new DateTime(m.Year, m.Month, Math.Min(30, DateTime.DaysInMonth(m.Year, m.Month))):yyyy-MM-dd},{Api.Sine(30)[i].ToString(CultureInfo.InvariantCulture)}")) + "\n";
        var on30th = await TrainCsvAsync("csv-30th", day30);
        Assert.Equal((Utc(2021, 2, 28), Utc(2023, 7, 30)), (Assert.Single(on30th.Timing!.Series).Start, on30th.Timing.Series[0].End));
        Assert.Equal(["2023-08-30T00:00:00+00:00", "2023-09-30T00:00:00+00:00", "2023-10-30T00:00:00+00:00"],
            (await ForecastAsync("csv-30th", new { id = "sales", history = Api.Sine(30) })).Timestamps);
        // The version keeps the day: from 28 February to 30 June both ends are month ends, but the series is on the 30th.
        var toJune = "date,sales\n" + string.Join("\n", Enumerable.Range(0, 17).Select(i => new DateTime(2023, 2, 1).AddMonths(i))
            .Select((m, i) => $"{new DateTime(m.Year, m.Month, Math.Min(30, DateTime.DaysInMonth(m.Year, m.Month))):yyyy-MM-dd},{Api.Sine(17)[i].ToString(CultureInfo.InvariantCulture)}")) + "\n";
        Assert.Equal(Utc(2024, 6, 30), Assert.Single((await TrainCsvAsync("csv-30th-june", toJune)).Timing!.Series).End);
        Assert.Equal(["2024-07-30T00:00:00+00:00", "2024-08-30T00:00:00+00:00", "2024-09-30T00:00:00+00:00"],
            (await ForecastAsync("csv-30th-june", new { id = "sales", history = Api.Sine(17) })).Timestamps);
        // So does a JSON series with timestamps on the 30th from April to June (before, forecast on month ends: 31 July).
        var april = Enumerable.Range(0, 15).Select(i => new DateTime(2023, 4, 1).AddMonths(i))
            .Select(m => new DateTime(m.Year, m.Month, Math.Min(30, DateTime.DaysInMonth(m.Year, m.Month))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
        await TrainAsync("json-30th", Tiny(new { id = "s", values = Api.Sine(15), timestamps = april }));
        Assert.Equal("2024-07-30T00:00:00+00:00", (await ForecastAsync("json-30th", new { id = "s", history = Api.Sine(15) })).Timestamps![0]);

        // Agreeing with the time column is fine.
        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostCsvAsync("csv-dated", await File.ReadAllBytesAsync(Api.SunspotsCsvPath),
            ("frequency", "P1Y"), ("horizon", "3"), ("epochs", "1"), ("ensemble", "1"), ("hiddenSize", "4"))).StatusCode);
    }

    private async Task<VersionResponse> TrainCsvAsync(string model, string csv)
    {
        var response = await _client.PostCsvAsync(model, csv, ("horizon", "3"), ("inputWindow", "12"), ("epochs", "2"), ("ensemble", "1"), ("hiddenSize", "4"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await _client.WaitForEndAsync((await response.ReadAsync<TrainingJobResponse>()).Id);
        Assert.True(job.Status == TrainingJobStatus.Succeeded, job.Error);
        return (await _client.GetFromJsonAsync<VersionResponse>($"/models/{model}/versions/{job.Version}", Api.Json))!;
    }
}
