using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using LstmService.Forecasts;
using LstmService.Models;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// A training series that ends with missing values ends, for its dates, at its last observed value: a monthly CSV column whose
/// last three cells were empty (reports not yet in) had been dated to the file's last row, so its observed values, forecast
/// by id, were dated three months late (a QA pass). Sent with the three nulls, the history is dated from the series' start.
/// </summary>
public sealed class TrailingMissingTimingTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.Client;

    private static string Month(int i) => new DateTime(2015, 1, 1).AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static double Value(int i, double level) => level + level / 5 * Math.Sin(2 * Math.PI * i / 12);

    private async Task<VersionResponse> Trained(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await _client.WaitForEndAsync((await response.ReadAsync<TrainingJobResponse>()).Id);
        Assert.True(job.Status == TrainingJobStatus.Succeeded, job.Error);
        return (await _client.GetFromJsonAsync<VersionResponse>($"/models/{response.RequestMessage!.RequestUri!.Segments[2].TrimEnd('/')}/versions/{job.Version}", Api.Json))!;
    }

    private async Task<string[]> FirstTimes(string model, double?[] history)
    {
        var response = await _client.PostJsonAsync($"/models/{model}/forecast", new { series = new[] { new { id = "late", history } } });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return [.. Assert.Single((await response.ReadAsync<ForecastResponse>()).Forecasts).Timestamps!.Select(t => t[..7])];
    }

    [Fact]
    public async Task A_csv_column_with_empty_last_cells_ends_at_its_last_value()
    {
        // 96 months from January 2015; the column "late" is empty from October 2022.
        var rows = Enumerable.Range(0, 96).Select(i => $"{Month(i)},{Value(i, 100):F1},{(i >= 93 ? "" : Value(i, 50).ToString("F1", CultureInfo.InvariantCulture))}");
        var csv = "month,early,late\n" + string.Join("\n", rows) + "\n";
        var version = await Trained(await _client.PostCsvAsync("trailing-csv", csv, ("horizon", "3"), ("inputWindow", "12"), ("epochs", "2"), ("ensemble", "1"), ("hiddenSize", "4")));
        var ends = version.Timing!.Series.ToDictionary(s => s.Id!, s => s.End.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        Assert.Equal(("2022-12", "2022-09"), (ends["early"], ends["late"]));

        var observed = Enumerable.Range(0, 93).Select(i => (double?)Value(i, 50)).ToArray();
        Assert.Equal(["2022-10", "2022-11", "2022-12"], await FirstTimes("trailing-csv", observed));
        Assert.Equal(["2023-01", "2023-02", "2023-03"], await FirstTimes("trailing-csv", [.. observed, null, null, null]));
        Assert.Equal(["2022-10", "2022-11", "2022-12"], await FirstTimes("trailing-csv", observed[^40..]));
        // A shorter history that ends with the three nulls too ends where they did (a review: dated from the last observed
        // value, it had been three months early).
        Assert.Equal(["2023-01", "2023-02", "2023-03"], await FirstTimes("trailing-csv", [.. observed[^40..], null, null, null]));
        Assert.Equal(["2023-01", "2023-02", "2023-03"], await FirstTimes("trailing-csv", [.. observed[1..], null, null, null]));
        // However many nulls follow the last observed value, they come after it (a QA pass: one or five had been dated off).
        Assert.Equal(["2022-11", "2022-12", "2023-01"], await FirstTimes("trailing-csv", [.. observed[^37..], null]));
        Assert.Equal(["2023-03", "2023-04", "2023-05"], await FirstTimes("trailing-csv", [.. observed[^37..], null, null, null, null, null]));
    }

    [Fact]
    public async Task A_json_series_ending_with_nulls_ends_at_its_last_value()
    {
        var values = Enumerable.Range(0, 60).Select(i => i >= 58 ? (double?)null : Value(i, 50)).ToArray();
        var version = await Trained(await _client.PostJsonAsync("/models/trailing-json/training-jobs", new
        {
            frequency = "monthly", horizon = 3, inputWindow = 12, hiddenSize = 4, epochs = 2, batchSize = 16, ensemble = 1,
            series = new[] { new { id = "late", values, start = "2015-01" } },
        }));
        Assert.Equal("2019-10", Assert.Single(version.Timing!.Series).End.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        Assert.Equal(["2019-11", "2019-12", "2020-01"], await FirstTimes("trailing-json", values[..58]));
        Assert.Equal(["2020-01", "2020-02", "2020-03"], await FirstTimes("trailing-json", values));
        // Leading nulls came before the series (a column of a wide table it joined late): they neither lengthen the history
        // past the series nor move its dates (a QA pass: 309 of them had dated the forecast ten months late).
        Assert.Equal(["2019-11", "2019-12", "2020-01"], await FirstTimes("trailing-json", [.. new double?[100], .. values[..58]]));
        Assert.Equal(["2020-01", "2020-02", "2020-03"], await FirstTimes("trailing-json", [null, .. values]));
        // Observed values past the series' still came after it, dated from its start as before.
        Assert.Equal(["2020-01", "2020-02", "2020-03"], await FirstTimes("trailing-json", [null, null, .. values[..58], 50, 50]));
    }

    [Fact]
    public async Task A_series_that_joined_late_is_dated_from_its_first_value()
    {
        // 20 months missing (a wide table's column for a shop opened later), then 40 observed from September 2016.
        double?[] values = [.. new double?[20], .. Enumerable.Range(20, 40).Select(i => (double?)Value(i, 50))];
        var version = await Trained(await _client.PostJsonAsync("/models/joined-late/training-jobs", new
        {
            frequency = "monthly", horizon = 3, inputWindow = 12, hiddenSize = 4, epochs = 2, batchSize = 16, ensemble = 1,
            series = new[] { new { id = "late", values, start = "2015-01" } },
        }));
        // Its metrics count the values it read: the 40 observed, not the 20 nulls before them, which are no missing values.
        Assert.Equal((40L, 0), (version.Metrics!.Points, version.Metrics.MissingValues));
        // Its observed values, with or without the leading nulls, end in December 2019.
        Assert.Equal(["2020-01", "2020-02", "2020-03"], await FirstTimes("joined-late", values));
        Assert.Equal(["2020-01", "2020-02", "2020-03"], await FirstTimes("joined-late", values[20..]));
        // Two more observed values, sent with the leading nulls or without, came after it (a review: the nulls had been
        // taken away from the history's length but not from the series', dating these two months early).
        Assert.Equal(["2020-03", "2020-04", "2020-05"], await FirstTimes("joined-late", [.. values, 50, 50]));
        Assert.Equal(["2020-03", "2020-04", "2020-05"], await FirstTimes("joined-late", [.. values[20..], 50, 50]));
        // A null after them comes after them too (the final read: the history's end had left its trailing nulls out).
        Assert.Equal(["2020-04", "2020-05", "2020-06"], await FirstTimes("joined-late", [.. values, 50, 50, null]));
    }
}
