using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using LstmService.Forecasts;
using LstmService.Infrastructure;
using LstmService.Models;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>
/// CSV files in long format, a row per id and time (pandas' melt, R's tidy data, Nixtla's unique_id/ds/y): one series per id
/// and value column, each on its own dates.
/// </summary>
public sealed class CsvLongFormatTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Each_id_becomes_a_series_on_its_own_dates_with_its_gaps()
    {
        // Interleaved ids; "b" starts a month later and misses March (line 6 holds April): it takes the others' monthly step,
        // not the two months its own two rows would suggest.
        var table = await CsvReading.ReadValid(
            "unique_id,ds,y\na,2020-01-01,1\nb,2020-02-01,10\na,2020-02-01,2\na,2020-03-01,3\nb,2020-04-01,30\na,2020-04-01,4\n");
        Assert.Equal("ds", table.TimeColumn);
        Assert.Equal(["unique_id"], table.IdColumns);
        Assert.Equal([("a", "y"), ("b", "y")], table.Columns.Select(c => (c.Id!, c.Name)));
        var (a, b) = (table.Columns[0], table.Columns[1]);
        Assert.Equal([1.0, 2, 3, 4], a.Values);
        Assert.Equal([10.0, null, 30], b.Values);
        Assert.Equal([3, 0, 6], b.Lines);
        Assert.Equal(new DateTimeOffset(2020, 2, 1, 0, 0, 0, TimeSpan.Zero), b.Timeline!.Timestamps[0]);
        Assert.Equal(new TimeFrequency(TimeUnit.Month, 1), b.Timeline.Frequency);
        Assert.Equal(3, b.Number);
    }

    [Theory]
    [InlineData("store;item;date;sales;price\nnorth;apples;2021-01-04;5;1,5\nnorth;pears;2021-01-04;7;2\nnorth;apples;2021-01-11;6;1,5\nnorth;pears;2021-01-11;8;2,5\n")]
    [InlineData("date,store,item,sales,price\n2021-01-04,north,apples,5,1.5\n2021-01-04,north,pears,7,2\n2021-01-11,north,apples,6,1.5\n2021-01-11,north,pears,8,2.5\n")]
    public async Task Several_id_columns_join_into_one_id_and_each_value_column_is_its_own_series(string csv)
    {
        var table = await CsvReading.ReadValid(csv);
        Assert.Equal(["store", "item"], table.IdColumns);
        Assert.Equal([("north/apples", "sales"), ("north/apples", "price"), ("north/pears", "sales"), ("north/pears", "price")],
            table.Columns.Select(c => (c.Id!, c.Name)));
        Assert.Equal([2.0, 2.5], table.Columns[3].Values);
        Assert.Equal(new TimeFrequency(TimeUnit.Week, 1), table.Columns[0].Timeline!.Frequency);
    }

    [Fact]
    public async Task A_numeric_id_column_named_like_an_id_counts_and_yearly_panels_are_read()
    {
        var table = await CsvReading.ReadValid("store,date,sales\n1,2020-01-01,5\n2,2020-01-01,6\n1,2020-01-02,7\n2,2020-01-02,8\n");
        Assert.Equal([("1", new double?[] { 5, 7 }), ("2", [6, 8])], table.Columns.Select(c => (c.Id!, c.Values)));

        table = await CsvReading.ReadValid("country,year,gdp\nAT,2000,1\nAT,2001,2\nBE,2000,3\nBE,2001,4\nBE,2002,5\n");
        Assert.Equal([("AT", 2), ("BE", 3)], table.Columns.Select(c => (c.Id!, c.Values.Length)));
        Assert.Equal(new TimeFrequency(TimeUnit.Year, 1), table.Columns[1].Timeline!.Frequency);
    }

    [Fact]
    public async Task Id_columns_are_named_so_or_hold_text_on_every_row_and_flags_are_values()
    {
        // Walmart's layout: Store and Dept are ids by their names, IsHoliday's TRUE/FALSE a value (1 and 0), not an id.
        var table = await CsvReading.ReadValid("Store,Dept,Date,Weekly_Sales,IsHoliday\n1,1,2010-02-05,24924.5,FALSE\n1,2,2010-02-05,50605.27,FALSE\n" +
            "1,1,2010-02-12,46039.49,TRUE\n1,2,2010-02-12,44682.74,TRUE\n");
        Assert.Equal(["Store", "Dept"], table.IdColumns);
        Assert.Equal([("1/1", "Weekly_Sales"), ("1/1", "IsHoliday"), ("1/2", "Weekly_Sales"), ("1/2", "IsHoliday")], table.Columns.Select(c => (c.Id!, c.Name)));
        Assert.Equal([0.0, 1], table.Columns[1].Values);

        // A column named like a price (product_price) is a value even where it repeats; shop_id is an id by its suffix.
        table = await CsvReading.ReadValid("date,shop_id,product_price,sales\n2020-01-01,7,2.5,1\n2020-01-01,8,2.5,2\n2020-01-02,7,2.0,3\n2020-01-02,8,2.0,4\n");
        Assert.Equal([("7", "product_price"), ("7", "sales"), ("8", "product_price"), ("8", "sales")], table.Columns.Select(c => (c.Id!, c.Name)));

        // A single id's file (Nixtla's unique_id,ds,y of one series) is that id's series, with text or numeric ids.
        foreach (var id in new[] { "H1", "1" })
        {
            table = await CsvReading.ReadValid($"unique_id,ds,y\n{id},2020-01-01,1\n{id},2020-01-02,2\n{id},2020-01-03,3\n");
            Assert.Equal((id, "y", 3), (Assert.Single(table.Columns).Id!, table.Columns[0].Name, table.Columns[0].Values.Length));
        }
    }

    [Theory]
    // A month's name under "Month" is a time's part, not an id: the repeated years are named, as before long files were read.
    [InlineData("Year,Month,Sales\n2019,Jan,1\n2019,Feb,2\n2020,Jan,3\n2020,Feb,4\n", "Line 3: the time 2019-01-01 repeats line 2")]
    // Nor a column of notes with empty cells: one repeated date in a wide file is named.
    [InlineData("date,sales,comment\n2024-01-01,1,\n2024-01-02,2,late\n2024-01-02,3,late\n", "Line 4: the time 2024-01-02 repeats line 3")]
    public Task Text_that_names_no_id_leaves_a_file_wide(string csv, string expected) => AssertRefusedAsync(csv, expected);

    /// <summary>The file is refused with a message under "file" that holds <paramref name="expected"/>.</summary>
    private static async Task AssertRefusedAsync(string csv, string expected)
    {
        var (table, errors) = await CsvReading.Read(csv);
        Assert.Null(table);
        Assert.Contains(errors["file"], m => m.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Integer_counters_under_a_time_header_place_each_ids_undated_values_and_gaps()
    {
        // Nixtla's M4 files number the steps: "b" misses 3 and starts at 2, "a" is out of order; step 1 from most rows.
        var table = await CsvReading.ReadValid("unique_id,ds,y\na,2,20\na,1,10\nb,2,200\na,3,30\nb,4,400\na,4,40\n");
        Assert.Equal("ds", table.TimeColumn);
        Assert.Equal(["unique_id"], table.IdColumns);
        Assert.Equal([("a", new double?[] { 10, 20, 30, 40 }), ("b", [200, null, 400])], table.Columns.Select(c => (c.Id!, c.Values)));
        Assert.Equal([4, 0, 6], table.Columns[1].Lines);
        Assert.All(table.Columns, c => Assert.Null(c.Timeline));
        Assert.Null(table.Timeline);

        // Week numbers of two stores, every other week: the step is 2, and store 2's week 5 is a gap, not a value.
        table = await CsvReading.ReadValid("store,week,sales\n1,1,5\n1,3,6\n1,5,7\n2,1,8\n2,7,9\n2,3,10\n");
        Assert.Equal([("1", new double?[] { 5, 6, 7 }), ("2", [8, 10, null, 9])], table.Columns.Select(c => (c.Id!, c.Values)));

        // Counters as pandas writes an integer column that held NaN (1.0, 2.0) are counters too.
        table = await CsvReading.ReadValid("unique_id,ds,y\nA,1.0,1\nA,2.0,2\nB,1.0,3\nB,3.0,4\n");
        Assert.Equal([("A", new double?[] { 1, 2 }), ("B", [3, null, 4])], table.Columns.Select(c => (c.Id!, c.Values)));

        // One id's file with counters, negative ones included.
        table = await CsvReading.ReadValid("unique_id,ds,y\nx,-1,1\nx,0,2\nx,1,3\n");
        Assert.Equal([1.0, 2, 3], Assert.Single(table.Columns).Values);
    }

    [Theory]
    [InlineData("unique_id,ds,y\na,1,1\na,2,2\nb,1,3\na,2,4\n", "Line 5: ds 2 repeats line 3; each ds may appear once per id. (id 'a', column 2 ('ds'))")]
    [InlineData("unique_id,ds,y\na,1,1\na,3,2\na,5,3\na,7,4\nb,1,5\nb,3,6\nb,4,7\n",
        "Line 8: ds 4 is not on the step of 2 from 1 that most rows show; the counters must be evenly spaced (gaps allowed). (id 'b', column 2 ('ds'))")]
    [InlineData("unique_id,ds,y\na,1,1\na,2,2\nb,1,3\nb,900000000,4\n", "Line 5: the gap before ds 900000000 would make 900000000 steps of 1 from 2 rows; check the ds column. (id 'b', column 2 ('ds'))")]
    // One bad cell in the time column is named there; read wide, the id column had been taken for the times ("'A' is not a time").
    [InlineData("unique_id,ds,y\nA,1,1\nA,7a,2\nB,1,3\n", "Line 3, column 2 ('ds'): '7a' is not a whole number")]
    [InlineData("unique_id,ds,y\nA,1,1\nA,,2\nB,1,3\n", "Line 3, column 2 ('ds'): '' is not a whole number")]
    [InlineData("unique_id,ds,y\nA,2020-01-01,1\nA,2020-01-0x,2\nB,2020-01-01,3\n", "Line 3, column 2 ('ds'): '2020-01-0x' is not a time")]
    public Task A_bad_counter_in_a_long_file_names_its_line_and_id(string csv, string expected) => AssertRefusedAsync(csv, expected);

    [Fact]
    public async Task The_dashboard_names_ids_and_times_with_the_servers_words()
    {
        // The History box refuses a long file as the server would read it (csv.js mirrors the server's word lists).
        var script = await _client.GetStringAsync("/dashboard/csv.js");
        HashSet<string> Set(string name)
        {
            var literal = System.Text.RegularExpressions.Regex.Match(script, $@"const {name} = new Set\(\[(.*?)\]\);", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.True(literal.Success, $"csv.js defines {name}");
            return [.. System.Text.RegularExpressions.Regex.Matches(literal.Groups[1].Value, "\"([^\"]+)\"").Select(m => m.Groups[1].Value)];
        }
        Assert.Equal(CsvLongFormat.IdWords.Order(), Set("ID_WORDS").Order());
        Assert.Equal(CsvLongFormat.IdSuffixes.Order(), Set("ID_SUFFIXES").Order());
        Assert.Equal(CsvSeriesReader.TimeWords.Order(), Set("TIME_WORDS").Order());
    }

    [Fact]
    public async Task A_second_column_of_dates_is_no_id_column()
    {
        // "when" holds the dates, "year" repeats a year: read wide, as before long files were.
        var table = await CsvReading.ReadValid("when,year,sales\n2023-12-20,2023,1\n2023-12-21,2023,2\n2023-12-22,2024,3\n");
        Assert.Null(table.IdColumns);
        Assert.Equal("when", table.TimeColumn);
        Assert.Equal(["year", "sales"], table.Columns.Select(c => c.Name));
    }

    [Theory]
    [InlineData("store,item,date,y\na/b,c,2020-01-01,1\na,b/c,2020-01-01,2\n",
        "Line 3: its id columns (column 1 ('store'), column 2 ('item')) join to 'a/b/c' as line 2's other values do; use ids without '/'.")]
    [InlineData("id,date,y\na,2020-01-01,1\na,2020-01-02,2\nb,2020-01-01,3\na,2020-01-02,4\n",
        "Line 5: the time 2020-01-02 repeats line 3; each time may appear once. (id 'a', column 2 ('date'))")]
    [InlineData("id,date,y\na,2020-01-01,1\n,2020-01-01,2\n", "Line 3, column 1 ('id'): empty")]
    [InlineData("id,date,y\na,2020-01-01T00:00:00Z,1\na,2020-01-02T00:00:00Z,2\na,2020-01-03T00:00:00Z,3\nb,2020-01-01T00:00:00Z,4\nb,2020-01-01T01:00:00Z,5\n",
        "Line 6: the time 2020-01-01T01:00:00+00:00 is not on the grid of 1 day steps from 2020-01-01; the times must be evenly spaced (gaps allowed). (id 'b', column 2 ('date'))")]
    [InlineData("id,date,y\na,2020-01-01,1\nb,2020-01-01,x\n", "Line 3, column 3 ('y'), id 'b': 'x' is not a number")]
    public Task A_bad_long_file_names_the_line_and_the_id(string csv, string expected) => AssertRefusedAsync(csv, expected);

    [Fact]
    public async Task More_ids_than_a_job_takes_are_refused_while_reading()
    {
        var csv = new StringBuilder("id,date,y\n");
        for (var i = 0; i < 5; i++) csv.Append(CultureInfo.InvariantCulture, $"s{i},2020-01-01,1\ns{i},2020-01-02,2\n");
        var errors = new ValidationErrors();
        Assert.Null(await CsvSeriesReader.ReadAsync(new StringReader(csv.ToString()), errors, maxSeries: 3));
        Assert.Contains("Line 8: more than 3 ids (column 1 ('id')); a job takes at most 3 series (TrainingQueue:MaxSeries), one per id and value column.",
            errors.ToDictionary()["file"]);
    }

    [Fact]
    public async Task The_ids_share_the_gaps_a_wide_file_of_their_rows_could_have()
    {
        // 1,000 ids of three rows each, the third 10,000 days on: each id alone within the slots a row may add, together
        // 30 million slots per value column (2.4 GB for ten columns). The ids share 4 x 3,000 + 10,000 slots.
        var csv = new StringBuilder("id,date,y\n");
        for (var i = 0; i < 1000; i++)
            foreach (var day in new[] { 0, 1, 10_000 })
                csv.Append(CultureInfo.InvariantCulture, $"s{i},{new DateTime(2000, 1, 1).AddDays(day):yyyy-MM-dd},1\n");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var (table, errors) = await CsvReading.Read(csv.ToString());
        Assert.Null(table);
        Assert.Contains(errors["file"], m => m.Contains("would make 10001 steps of 1 day", StringComparison.Ordinal) && m.Contains("(id 's2'", StringComparison.Ordinal));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 200_000_000);
    }

    [Fact]
    public async Task Ids_on_one_month_day_keep_it_where_an_id_alone_could_not_tell()
    {
        // Ids on the 30th; "b" has only 30 April and 30 June, both month ends: its May is the 30th, as the others' months say.
        var table = await CsvReading.ReadValid("id,date,y\na,2023-04-30,1\na,2023-05-30,2\na,2023-06-30,3\nb,2023-04-30,4\nb,2023-06-30,5\n");
        var b = table.Columns[1].Timeline!;
        Assert.Equal((30, new DateTimeOffset(2023, 5, 30, 0, 0, 0, TimeSpan.Zero)), (b.MonthDay, b.Timestamps[1]));
    }

    [Fact]
    public async Task A_text_column_beside_times_that_never_repeat_is_no_id()
    {
        // A wide file with a column of notes: read as before (the notes are no numbers), not as one series per note.
        var (table, errors) = await CsvReading.Read("date,note,sales\n2020-01-01,holiday,1\n2020-01-02,,2\n2020-01-03,sale,3\n");
        Assert.Null(table);
        Assert.StartsWith("Column 2 ('note') holds text in all of its 2 values ('holiday', 'sale'; lines 2-4): each column besides", Assert.Single(errors["file"]));
    }

    [Fact]
    public async Task A_long_upload_trains_one_series_per_id_with_its_own_covariates_dates_and_forecast_timestamps()
    {
        // Two shops, the second opening six months later; price is each shop's own covariate.
        var csv = new StringBuilder("shop,month,sales,price\n");
        for (var t = 0; t < 48; t++)
            foreach (var (shop, opens) in new[] { ("east", 0), ("west", 6) })
                if (t >= opens)
                    csv.Append(CultureInfo.InvariantCulture,
                        $"{shop},{new DateTime(2020, 1, 1).AddMonths(t):yyyy-MM},{100 + 10 * Math.Sin(t * Math.PI / 6) + (shop == "west" ? 50 : 0):F2},{(shop == "west" ? 2 : 1) + t % 3}\n");

        var response = await _client.PostCsvAsync("long-shops", csv.ToString(), ("covariateColumns", "price"),
            ("horizon", "3"), ("inputWindow", "6"), ("hiddenSize", "4"), ("ensemble", "1"), ("epochs", "2"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.ReadAsync<TrainingJobResponse>();
        var spec = fixture.Factory.Services.GetRequiredService<TrainingJobStore>().GetSpec(queued.Id)!;
        Assert.Equal(["east", "west"], spec.Series.Select(s => s.Id));
        Assert.Equal((48, 42), (spec.Series[0].Values.Length, spec.Series[1].Values.Length));
        Assert.Equal([1.0, 2, 3], spec.Series[0].Covariates!["price"].Take(3));
        Assert.Equal([2.0, 3, 4], spec.Series[1].Covariates!["price"].Take(3)); // west's own rows, from July 2020 (t = 6)

        var job = await _client.WaitForEndAsync(queued.Id);
        Assert.True(job.Status == TrainingJobStatus.Succeeded, $"Job ended {job.Status}: {job.Error}");
        var version = await _client.GetFromJsonAsync<VersionResponse>("/models/long-shops/versions/1", Api.Json);
        Assert.Equal("P1M", version!.Timing!.Frequency);
        Assert.Equal([("east", "2020-01-01", "2023-12-01"), ("west", "2020-07-01", "2023-12-01")],
            version.Timing.Series.Select(s => (s.Id!, s.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));

        // A history named like a training series is dated after that series' end.
        var history = spec.Series[1].Values.TakeLast(12).Select(v => v!.Value).ToArray();
        var price = Enumerable.Repeat(3.0, 12).ToArray();
        var forecast = await _client.PostJsonAsync("/models/long-shops/forecast",
            new { series = new[] { new { id = "west", history, covariates = new Dictionary<string, double[]> { ["price"] = price } } } });
        Assert.True(forecast.StatusCode == HttpStatusCode.OK, await forecast.Content.ReadAsStringAsync());
        var dated = Assert.Single((await forecast.ReadAsync<ForecastResponse>()).Forecasts);
        Assert.StartsWith("2024-01-01", dated.Timestamps![0]);
    }

    [Fact]
    public async Task A_long_upload_with_counters_trains_undated_series_per_id()
    {
        // M4 as Nixtla's datasets write it: unique_id,ds,y with ds = 1, 2, 3 ...; "H2" lacks step 5.
        var csv = new StringBuilder("unique_id,ds,y\n");
        foreach (var id in new[] { "H1", "H2" })
            for (var t = 1; t <= 40; t++)
                if (id == "H1" || t != 5)
                    csv.Append(CultureInfo.InvariantCulture, $"{id},{t},{50 + 10 * Math.Sin(t * Math.PI / 6) + (id == "H2" ? 20 : 0):F2}\n");
        var response = await _client.PostCsvAsync("long-counters", csv.ToString(), ("horizon", "3"), ("inputWindow", "6"), ("hiddenSize", "4"), ("ensemble", "1"), ("epochs", "2"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.ReadAsync<TrainingJobResponse>();
        var spec = fixture.Factory.Services.GetRequiredService<TrainingJobStore>().GetSpec(queued.Id)!;
        Assert.Equal([("H1", 40), ("H2", 40)], spec.Series.Select(s => (s.Id, s.Values.Length)));
        Assert.Null(spec.Series[1].Values[4]);
        var job = await _client.WaitForEndAsync(queued.Id);
        Assert.True(job.Status == TrainingJobStatus.Succeeded, $"Job ended {job.Status}: {job.Error}");
        var version = await _client.GetFromJsonAsync<VersionResponse>("/models/long-counters/versions/1", Api.Json);
        Assert.Null(version!.Timing);
    }

    [Fact]
    public async Task A_bad_long_upload_names_the_id_of_a_covariate_problem()
    {
        var csv = new StringBuilder("shop,date,sales,price\n");
        for (var t = 0; t < 30; t++)
            foreach (var shop in new[] { "east", "west" })
                csv.Append(CultureInfo.InvariantCulture, $"{shop},{new DateTime(2020, 1, 1).AddDays(t):yyyy-MM-dd},{t},{(shop == "west" && t == 4 ? "1e39" : "1")}\n");
        var errors = await (await _client.PostCsvAsync("long-bad", csv.ToString(), ("covariateColumns", "shop"))).ValidationErrorsAsync();
        Assert.Contains("'shop' is the id column", Assert.Single(errors["covariateColumns"]));

        // A price out of the 32-bit float range is named by its line, column and id (west's fifth row, line 11).
        errors = await (await _client.PostCsvAsync("long-bad", csv.ToString(), ("covariateColumns", "price"), ("horizon", "2"))).ValidationErrorsAsync();
        Assert.Contains(errors["file"], m => m.StartsWith("Line 11, column 4 ('price', id 'west'): Out of the 32-bit float range", StringComparison.Ordinal));
    }
}
