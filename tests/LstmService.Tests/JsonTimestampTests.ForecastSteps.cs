using System.Globalization;

namespace LstmService.Tests;

/// <summary>The steps of a forecast's timestamps: read from the history's own timestamps, and on the local calendar.</summary>
public sealed partial class JsonTimestampTests
{
    [Fact]
    public async Task On_a_version_without_a_frequency_the_forecasts_timestamps_give_the_step_as_in_training()
    {
        await TrainAsync("plain", Tiny(new { values = Api.Sine(80) }));
        var history = Api.Sine(24);
        // 25 months with 2020-11 missing, newest first: sorted, the gap a missing value, the step (a month) read from them.
        var stamps = Enumerable.Range(0, 25).Where(i => i != 10).Select(Month).Reverse().ToArray();
        var inferred = await ForecastAsync("plain", new { history, timestamps = stamps });
        Assert.Equal(["2022-02-01T00:00:00+00:00", "2022-03-01T00:00:00+00:00", "2022-04-01T00:00:00+00:00"], inferred.Timestamps);
        var given = await ForecastAsync("plain", new { history, timestamps = stamps }, frequency: "monthly");
        Assert.Equal(given.Timestamps, inferred.Timestamps);
        Assert.Equal(given.Mean, inferred.Mean);

        // One step per request: a second series stepping by quarters is named, unless the request's frequency lays both.
        var quarters = Enumerable.Range(0, 24).Select(i => new DateTime(2015, 1, 1).AddMonths(3 * i).ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToArray();
        var mixed = await (await _client.PostJsonAsync("/models/plain/forecast", new
        {
            series = new object[] { new { history, timestamps = stamps }, new { history, timestamps = quarters } },
        })).ValidationErrorsAsync();
        Assert.Contains("step by 1 quarter, but series[0]'s by 1 month", Assert.Contains("series[1].timestamps", mixed).Single());
        Assert.Equal(["series[1].timestamps"], mixed.Keys);
    }

    [Fact]
    public async Task Days_and_months_step_on_the_local_calendar_through_daylight_saving_and_on_the_day_of_the_month()
    {
        await TrainAsync("calendar", Tiny(new { values = Api.Sine(80) }));
        var history = Api.Sine(24);

        // Local midnights as pandas writes a Europe/Berlin index: +01:00, then +02:00 from 1 April 2024. The day after a
        // day is the next local midnight, whose instant is 23 hours later once; the forecast keeps the last offset.
        static string Berlin(DateTime day) => $"{day:yyyy-MM-dd}T00:00:00{(day >= new DateTime(2024, 4, 1) ? "+02:00" : "+01:00")}";
        var days = Enumerable.Range(0, 24).Select(i => Berlin(new DateTime(2024, 3, 20).AddDays(i))).ToArray();
        var daily = await ForecastAsync("calendar", new { history, timestamps = days });
        Assert.Equal(["2024-04-13T00:00:00+02:00", "2024-04-14T00:00:00+02:00", "2024-04-15T00:00:00+02:00"], daily.Timestamps);
        // Monthly, at local midnight: +02:00 from April to October.
        var months = Enumerable.Range(0, 24).Select(i => new DateTime(2022, 1, 1).AddMonths(i))
            .Select(m => $"{m:yyyy-MM-dd}T00:00:00{(m.Month is >= 4 and <= 10 ? "+02:00" : "+01:00")}").ToArray();
        var monthly = await ForecastAsync("calendar", new { history, timestamps = months });
        Assert.Equal(["2024-01-01T00:00:00+01:00", "2024-02-01T00:00:00+01:00", "2024-03-01T00:00:00+01:00"], monthly.Timestamps);

        // A series on the 28th that starts or ends in February, where the 28th is the month's last day, stays on the 28th.
        static string[] Day28(int year, int month) => [.. Enumerable.Range(0, 24).Select(i => new DateTime(year, month, 28).AddMonths(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))];
        var fromFebruary = await ForecastAsync("calendar", new { history, timestamps = Day28(2021, 2) });
        Assert.Equal(["2023-02-28T00:00:00+00:00", "2023-03-28T00:00:00+00:00", "2023-04-28T00:00:00+00:00"], fromFebruary.Timestamps);
        var toFebruary = await ForecastAsync("calendar", new { history, timestamps = Day28(2021, 3) });
        Assert.Equal(["2023-03-28T00:00:00+00:00", "2023-04-28T00:00:00+00:00", "2023-05-28T00:00:00+00:00"], toFebruary.Timestamps);
        // From February to February the 28th is the last day at both ends; the months between say it is the 28th.
        var februaries = Enumerable.Range(0, 25).Select(i => new DateTime(2021, 2, 28).AddMonths(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
        var onThe28th = await ForecastAsync("calendar", new { history = Api.Sine(25), timestamps = februaries });
        Assert.Equal(["2023-03-28T00:00:00+00:00", "2023-04-28T00:00:00+00:00", "2023-05-28T00:00:00+00:00"], onThe28th.Timestamps);
        // Month ends stay month ends, from a 30-day month too.
        var ends = Enumerable.Range(0, 24).Select(i => new DateTime(2021, 4, 1).AddMonths(i + 1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
        var monthEnds = await ForecastAsync("calendar", new { history, timestamps = ends });
        Assert.Equal(["2023-04-30T00:00:00+00:00", "2023-05-31T00:00:00+00:00", "2023-06-30T00:00:00+00:00"], monthEnds.Timestamps);
        // A series on the 30th (February's 28th or 29th standing for it) stays on the 30th, from a February start too, and
        // lands on February's last day again; one on the 29th likewise.
        static string[] OnDay(int day, int year, int month, int count) => [.. Enumerable.Range(0, count).Select(i =>
            { var m = new DateTime(year, month, 1).AddMonths(i); return new DateTime(m.Year, m.Month, Math.Min(day, DateTime.DaysInMonth(m.Year, m.Month))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture); })];
        var on30th = await ForecastAsync("calendar", new { history, timestamps = OnDay(30, 2021, 2, 24) });
        Assert.Equal(["2023-02-28T00:00:00+00:00", "2023-03-30T00:00:00+00:00", "2023-04-30T00:00:00+00:00"], on30th.Timestamps);
        var on29th = await ForecastAsync("calendar", new { history, timestamps = OnDay(29, 2022, 3, 24) });
        Assert.Equal(["2024-03-29T00:00:00+00:00", "2024-04-29T00:00:00+00:00", "2024-05-29T00:00:00+00:00"], on29th.Timestamps);
        Assert.Equal(["2024-01-30T00:00:00+00:00", "2024-02-29T00:00:00+00:00", "2024-03-30T00:00:00+00:00"],
            (await ForecastAsync("calendar", new { history, timestamps = OnDay(30, 2022, 1, 24) })).Timestamps);
        // A day that is no shorter month's last day is still off the grid (the 30th among the 28ths).
        var off = OnDay(28, 2021, 1, 24);
        off[5] = off[5][..^2] + "30";
        var problem = await _client.PostJsonAsync("/models/calendar/forecast", new { frequency = "monthly", series = new[] { new { history, timestamps = off } } });
        Assert.Contains("series[0].timestamps[5]", (await problem.ValidationErrorsAsync()).Keys);
    }
}
