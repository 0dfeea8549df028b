using System.Globalization;
using LstmService.Infrastructure;

namespace LstmService.Tests;

/// <summary>The ISO 8601 forms a timestamp may take in JSON and CSV, with their offsets, and its week dates.</summary>
public sealed class TimestampsTests
{
    [Theory]
    [InlineData("2024-03-01T12:00:00+02", "2024-03-01T10:00:00Z", true)]   // whole hours, as PostgreSQL writes timestamptz
    [InlineData("2024-03-01 12:00:00-05", "2024-03-01T17:00:00Z", true)]
    [InlineData("2024-03-01T12:00:00.5+02", "2024-03-01T10:00:00.5Z", true)]
    [InlineData("2024-03-01T12:00+02", "2024-03-01T10:00:00Z", true)]
    [InlineData("2024-03-01T12:00:00+02:00", "2024-03-01T10:00:00Z", true)]
    [InlineData("2024-03-01T12:00:00+05:30", "2024-03-01T06:30:00Z", true)]
    [InlineData("2024-03-01T12:00:00Z", "2024-03-01T12:00:00Z", true)]
    [InlineData("2024-03-01T12:00:00", "2024-03-01T12:00:00Z", false)]     // no offset: the stream's or the series' clock decides
    [InlineData("2023-W01", "2023-01-02T00:00:00Z", false)]                // an ISO week: its Monday (a QA pass's had been refused)
    [InlineData("2020w53", "2020-12-28T00:00:00Z", false)]
    [InlineData("2026-W49-7", "2026-12-06T00:00:00Z", false)]              // its Sunday
    public void Each_form_reads_as_its_instant(string text, string instant, bool hasOffset)
    {
        Assert.True(Timestamps.TryParse(text, out var time));
        Assert.Equal(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture), time);
        Assert.Equal(hasOffset, Timestamps.HasOffset(text));
    }

    [Theory]
    [InlineData("2024-03-01T12:00:00+2")]  // ISO 8601 writes two digits
    [InlineData("2024-03-01T12:00:00+25")]
    [InlineData("2024-03-01T25:00:00+02")]
    [InlineData("2021-W53")]  // 2021 had 52 ISO weeks
    [InlineData("2023-W00")]
    [InlineData("2023-W01-8")]
    public void Malformed_offsets_and_times_are_refused(string text) => Assert.False(Timestamps.TryParse(text, out _));

    [Theory]
    [InlineData("2021-W53", "'2021-W53' is not a week of 2021: it has 52 ISO 8601 weeks.")]
    [InlineData("2023-W53-2", "'2023-W53-2' is not a week of 2023: it has 52 ISO 8601 weeks.")]
    [InlineData("2020-W54", "'2020-W54' is not a week of 2020: it has 53 ISO 8601 weeks.")]
    [InlineData("2023-W00", "'2023-W00' is not a time: use " + Timestamps.Expected + ".")]
    [InlineData("soon", "'soon' is not a time: use " + Timestamps.Expected + ".")]
    [InlineData(null, "null is not a time: use " + Timestamps.Expected + ".")]
    public void A_refusal_says_why(string? text, string message)
    {
        Assert.False(Timestamps.TryParse(text, out _));
        Assert.Equal(message, Timestamps.Refusal(text));
    }
}
