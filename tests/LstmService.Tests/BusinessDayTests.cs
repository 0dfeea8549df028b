using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LstmService.Forecasts;
using LstmService.Infrastructure;
using LstmService.Models;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// Business days (Monday to Friday): told from weekday-only times, named by a request (<c>business</c>, <c>B</c>), stepped
/// over weekends by arithmetic, a week of five suggested as the season. Weekday-only data had been read as daily with
/// every weekend missing, and forecast on Saturdays and Sundays (a QA pass).
/// </summary>
public sealed class BusinessDayTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.Client;

    private static readonly TimeFrequency Business = new(TimeUnit.BusinessDay, 1);

    /// <summary>Friday 29 March 2024, at local midnight in +01:00.</summary>
    private static readonly DateTimeOffset Friday = new(2024, 3, 29, 0, 0, 0, TimeSpan.FromHours(1));

    /// <summary>The weekdays of the <paramref name="days"/> calendar days from Monday 1 January 2024.</summary>
    private static List<DateTime> Weekdays(int days) =>
        [.. Enumerable.Range(0, days).Select(i => new DateTime(2024, 1, 1).AddDays(i)).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))];

    [Fact]
    public void Business_days_are_named_stepped_over_weekends_and_told_from_weekday_only_times()
    {
        foreach (var name in new[] { "business", "B", "b", "weekdays", "business-daily" }) Assert.Equal(Business, TimeFrequency.Parse(name));
        Assert.Equal(("B", "1 business day"), (Business.ToIso(), Business.ToString()));
        Assert.Equal(Business, TimeFrequency.Parse(Business.ToIso()));
        Assert.Equal([5], Business.SuggestedSeasons());
        // pandas' other aliases of one unit are taken too (they had been refused, a QA pass).
        foreach (var (alias, unit) in new[] { ("D", TimeUnit.Day), ("W", TimeUnit.Week), ("MS", TimeUnit.Month), ("ME", TimeUnit.Month), ("M", TimeUnit.Month),
            ("QS", TimeUnit.Quarter), ("YS", TimeUnit.Year), ("A", TimeUnit.Year), ("H", TimeUnit.Hour) })
            Assert.Equal(new TimeFrequency(unit, 1), TimeFrequency.Parse(alias));

        // Friday + 1 is Monday, + 5 the next Friday, - 5 the Friday before; the clock and the offset are kept, as for days.
        Assert.Equal(Friday.AddDays(3), Business.Advance(Friday, 1));
        Assert.Equal(Friday.AddDays(7), Business.Advance(Friday, 5));
        Assert.Equal(Friday.AddDays(-7), Business.Advance(Friday, -5));
        Assert.Equal(Friday.AddDays(-4), Business.Advance(Friday, -4));
        // A long history is counted by arithmetic: 1,000 business days are 200 weeks.
        Assert.Equal(Friday.AddDays(1400), Business.Advance(Friday, 1000));
        Assert.Equal(1000, Business.StepsFrom(Friday, Friday.AddDays(1400)));
        Assert.Equal(1, Business.StepsFrom(Friday, Friday.AddDays(3)));
        Assert.Equal(-6, Business.StepsFrom(Friday, Friday.AddDays(-8)));
        Assert.Null(Business.StepsFrom(Friday, Friday.AddDays(1))); // Saturday
        Assert.Null(Business.StepsFrom(Friday, Friday.AddDays(3).AddHours(9))); // Monday 09:00, off the clock

        var weekdays = Weekdays(40).Select(d => new DateTimeOffset(d, TimeSpan.Zero)).ToList();
        Assert.Equal(Business, TimeFrequency.Infer(weekdays));
        // Every day, or a few weekdays without a weekend between two of them, stay daily.
        Assert.Equal(new TimeFrequency(TimeUnit.Day, 1), TimeFrequency.Infer([.. Enumerable.Range(0, 40).Select(i => new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i))]));
        Assert.Equal(new TimeFrequency(TimeUnit.Day, 1), TimeFrequency.Infer(weekdays[..7]));

        // UTC midnights shown in Berlin (01:00+01:00 in winter, 02:00+02:00 in summer, as pandas' tz_convert writes them) are
        // business days too, a step apart across the change of clock, as days are (a review: they had been off the grid).
        var berlin = Weekdays(110).Select(d => new DateTimeOffset(d, TimeSpan.Zero)).Select(t => t.ToOffset(TimeSpan.FromHours(t.Month is > 3 and < 10 || t.Month == 3 && t.Day > 31 ? 2 : 1))).ToList();
        Assert.Equal(Business, TimeFrequency.Infer(berlin));
        var grid = TimeGrid.Build(berlin, null, 1000, out var problem);
        Assert.Null(problem);
        Assert.Equal(berlin.Count, grid!.Slots.Count);
        // Most of them after the change too: the first, in winter, starts the grid (a QA pass: it had been before the grid's
        // first time, taken at the summer clock most times kept; days alike).
        var spring = berlin.Where(t => t.Month >= 3 && t.Day >= 18 || t.Month > 3).ToList();
        Assert.Equal(spring[0], TimeGrid.Build(spring, null, 1000, out problem)!.Start);
        Assert.Null(problem);
        var days = Enumerable.Range(0, 40).Select(i => new DateTimeOffset(2024, 3, 20, 0, 0, 0, TimeSpan.Zero).AddDays(i)).Select(t => t.ToOffset(TimeSpan.FromHours(t.Day < 31 && t.Month == 3 ? 1 : 2))).ToList();
        Assert.Equal(new TimeFrequency(TimeUnit.Day, 1), TimeGrid.Build(days, null, 1000, out problem)!.Frequency);
        Assert.Null(problem);
        // A Saturday among business days is named so.
        Assert.Null(TimeGrid.Build([.. spring.Take(10), spring[9].AddDays(1)], Business, 1000, out problem));
        Assert.Contains("is a Saturday", problem!.Value.Message);
        // A weekend is no first time of business days.
        Assert.Contains("is a Saturday", Business.StartProblem(Friday.AddDays(1)));
        Assert.Null(Business.StartProblem(Friday));
    }

    [Fact]
    public async Task Weekday_series_beside_a_daily_one_are_read_as_daily_and_a_weekend_start_is_refused()
    {
        // One request: a series of weekdays and one of every day. Read alike as daily (the weekends missing), as before business
        // days were told; they had been refused as two frequencies (a review).
        string Day(DateTime d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var weekdays = Weekdays(56);
        var everyDay = Enumerable.Range(0, 56).Select(i => new DateTime(2024, 1, 1).AddDays(i)).ToList();
        var job = await _client.TrainAsync("business-mixed", new
        {
            horizon = 3, inputWindow = 10, hiddenSize = 4, epochs = 2, ensemble = 1,
            series = new object[]
            {
                new { id = "weekdays", values = weekdays.Select((_, i) => 100.0 + i % 5).ToArray(), timestamps = weekdays.Select(Day).ToArray() },
                new { id = "daily", values = everyDay.Select((_, i) => 50.0 + i % 7).ToArray(), timestamps = everyDay.Select(Day).ToArray() },
            },
        });
        var version = (await _client.GetFromJsonAsync<VersionResponse>($"/models/business-mixed/versions/{job.Version}", Api.Json))!;
        Assert.Equal("P1D", version.Timing!.Frequency);

        var refused = await (await _client.PostJsonAsync("/models/business-weekend/training-jobs", new
        {
            frequency = "business", horizon = 3, series = new[] { new { values = Enumerable.Range(0, 40).Select(i => 100.0 + i % 5).ToArray(), start = "2024-01-06" } },
        })).ValidationErrorsAsync();
        Assert.Contains("is a Saturday: business days run Monday to Friday", Assert.Single(refused["series[0].start"]));
    }

    [Fact]
    public async Task A_csv_of_weekdays_trains_a_business_day_version_whose_forecasts_skip_weekends()
    {
        // 16 weeks of weekdays with a pattern over the week (Mondays high, Fridays low) and a holiday missing.
        var days = Weekdays(112);
        days.RemoveAt(30);
        var rng = new Random(5);
        double Value(DateTime d) => 100 + 8 * (2 - ((int)d.DayOfWeek - 1)) + rng.NextDouble();
        var csv = "date,tickets\n" + string.Join("\n", days.Select(d => $"{d:yyyy-MM-dd},{Value(d).ToString("F1", CultureInfo.InvariantCulture)}")) + "\n";
        var response = await _client.PostCsvAsync("business-csv", csv, ("horizon", "5"), ("inputWindow", "10"), ("epochs", "2"), ("ensemble", "1"), ("hiddenSize", "4"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await _client.WaitForEndAsync((await response.ReadAsync<TrainingJobResponse>()).Id);
        Assert.True(job.Status == TrainingJobStatus.Succeeded, job.Error);
        var version = (await _client.GetFromJsonAsync<VersionResponse>($"/models/business-csv/versions/{job.Version}", Api.Json))!;
        Assert.Equal("B", version.Timing!.Frequency);
        Assert.Equal(5, version.Architecture.Statistics!.ThetaSeason);
        Assert.Equal(days[^1], version.Timing.Series[0].End.DateTime);

        // The last value is Friday 19 April: the next five are Monday 22 to Friday 26 April.
        var forecast = await _client.PostJsonAsync("/models/business-csv/forecast", new { series = new[] { new { id = "tickets", history = Enumerable.Repeat(100.0, 60).ToArray() } } });
        Assert.True(forecast.StatusCode == HttpStatusCode.OK, await forecast.Content.ReadAsStringAsync());
        var times = Assert.Single((await forecast.ReadAsync<ForecastResponse>()).Forecasts).Timestamps!;
        Assert.Equal(["2024-04-22", "2024-04-23", "2024-04-24", "2024-04-25", "2024-04-26"], times.Select(t => t[..10]));

        // A stream of the series takes Monday's value after Friday's, and refuses a Saturday as between its steps.
        var opened = await _client.PostJsonAsync("/models/business-csv/streams", new { seriesId = "tickets", history = Enumerable.Repeat(100.0, 60).ToArray() });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var id = (await opened.ReadAsync<JsonElement>()).GetProperty("id").GetString();
        var saturday = await (await _client.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { 1f }, timestamps = new[] { "2024-04-20" } })).ValidationErrorsAsync();
        Assert.Contains("is not one of the stream's times (every 1 business day (B)", Assert.Single(saturday["timestamps[0]"]));
        var monday = await _client.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { 1f, 2f }, timestamps = new[] { "2024-04-22", "2024-04-24" } });
        Assert.True(monday.StatusCode == HttpStatusCode.OK, await monday.Content.ReadAsStringAsync());
        Assert.Equal(63, (await monday.ReadAsync<JsonElement>()).GetProperty("length").GetInt32());
    }
}
