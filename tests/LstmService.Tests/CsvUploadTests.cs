using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using LstmService.Forecasts;
using LstmService.Models;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>The CSV upload tests, on one service.</summary>
public sealed class CsvUploadTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = fixture.Client;

    private TrainingJobSpec Spec(Guid id) => fixture.Factory.Services.GetRequiredService<TrainingJobStore>().GetSpec(id)!;

    [Fact]
    public async Task The_sunspots_csv_uploads_trains_and_forecasts()
    {
        var csv = await File.ReadAllBytesAsync(Api.SunspotsCsvPath);
        var response = await _client.PostCsvAsync("sunspots-upload", csv, ("horizon", "10"), ("epochs", "3"), ("hiddenSize", "8"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.ReadAsync<TrainingJobResponse>();
        Assert.Equal($"/training-jobs/{queued.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(("sunspots-upload", 3), (queued.Model, queued.Epochs));

        // The "year" column is the time axis; "sunspots" is the one series, named after its header.
        var spec = Spec(queued.Id);
        var series = Assert.Single(spec.Series);
        Assert.Equal("sunspots", series.Id);
        Assert.Equal(309, series.Values.Length);
        Assert.Equal((5.0, 2.9), (series.Values[0], series.Values[^1]));
        Assert.Equal((10, 3, 8), (spec.Settings.Horizon, spec.Settings.Epochs, spec.Settings.HiddenSize));

        var job = await _client.WaitForEndAsync(queued.Id);
        Assert.True(job.Status == TrainingJobStatus.Succeeded, $"Job ended {job.Status}: {job.Error}");
        var version = await _client.GetFromJsonAsync<VersionResponse>("/models/sunspots-upload/versions/1", Api.Json);
        Assert.Equal((10, 1, 309L, 0), (version!.Horizon, version.Metrics!.Series, version.Metrics.Points, version.Metrics.MissingValues));

        var history = File.ReadLines(Api.SunspotsCsvPath).Skip(1).TakeLast(60).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var forecast = await _client.PostJsonAsync("/models/sunspots-upload/forecast", new { series = new[] { new { id = "sunspots", history } } });
        Assert.Equal(HttpStatusCode.OK, forecast.StatusCode);
        Assert.Equal(10, Assert.Single((await forecast.ReadAsync<ForecastResponse>()).Forecasts).Mean.Length);
    }

    [Fact]
    public async Task A_weekly_csv_with_gaps_is_accepted_and_its_missing_values_are_counted()
    {
        // Like co2_weekly_mauna_loa.csv: dates, empty weeks, plus NaN/NA, a second value column, CRLF line ends and a quoted header.
        var csv = new StringBuilder("\"week\",co2,\"co2 (trend)\"\r\n");
        var missing = 0;
        for (var i = 0; i < 160; i++)
        {
            var week = new DateOnly(1990, 1, 6).AddDays(7 * i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var co2 = (350 + 0.03 * i + 3 * Math.Sin(2 * Math.PI * i / 52)).ToString("F2", CultureInfo.InvariantCulture);
            var trend = (350 + 0.03 * i).ToString("F2", CultureInfo.InvariantCulture);
            if (i % 17 == 5) { co2 = ""; missing++; }
            else if (i % 23 == 7) { co2 = "NaN"; missing++; }
            if (i == 100) { trend = "NA"; missing++; }
            csv.Append(CultureInfo.InvariantCulture, $"{week},{co2},{trend}\r\n");
        }

        var response = await _client.PostCsvAsync("co2-upload", csv.ToString(),
            ("inputWindow", "8"), ("horizon", "4"), ("epochs", "2"), ("hiddenSize", "8"), ("quantiles", "0.1, 0.9"), ("scaling", "seriesZScore"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.ReadAsync<TrainingJobResponse>();

        var spec = Spec(queued.Id);
        Assert.Equal(["co2", "co2 (trend)"], spec.Series.Select(s => s.Id));
        Assert.Equal(missing, spec.Series.Sum(s => s.Values.Count(v => v is null)));
        Assert.Null(spec.Series[0].Values[5]);
        Assert.Equal([0.1f, 0.9f], spec.Settings.Quantiles);

        var job = await _client.WaitForEndAsync(queued.Id);
        Assert.True(job.Status == TrainingJobStatus.Succeeded, $"Job ended {job.Status}: {job.Error}");
        var version = await _client.GetFromJsonAsync<VersionResponse>("/models/co2-upload/versions/1", Api.Json);
        Assert.Equal((2, 320L, missing), (version!.Metrics!.Series, version.Metrics.Points, version.Metrics.MissingValues));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("year,sunspots\n", "no data rows")]
    [InlineData("{\"series\": [{\"values\": [1, 2, 3]}]}", "JSON")]
    [InlineData("year,a,b\n1700,1,2\n1701,3\n1702,4,5\n", "Line 3 has 2 fields, but the header has 3 columns (separated by ',')")]
    // A column of notes is one message naming the column (a QA pass had one message per note).
    [InlineData("date,sales,note\n2024-01-01,1,promo\n2024-01-02,2,\n2024-01-03,3,holiday\n2024-01-04,4,promo\n",
        "Column 3 ('note') holds text in all of its 3 values ('promo', 'holiday'; lines 2-5): each column besides")]
    // Mostly text with a few numbers (a QA pass): the column too.
    [InlineData("date,sales,note\n2024-01-01,1,promo\n2024-01-02,2,7\n2024-01-03,3,holiday\n2024-01-04,4,promo\n",
        "Column 3 ('note') holds text in 3 of its 4 values ('promo', 'holiday'; lines 2-5)")]
    [InlineData("date,sales\n2024-01-01,1,234\n2024-01-02,987\n2024-01-03,1,050.5\n", "Line 2 has 3 fields, but the header has 2 columns (separated by ','). A number written with a thousands separator (1,234) splits into two fields: quote it")]
    [InlineData("week,co2\n2020-01-04,1.5\n2020-01-11,abc\n2020-01-18,2.5\n", "Line 3, column 2 ('co2'): 'abc' is not a number")]
    [InlineData("date\n2020-01-01\n2020-01-02\n", "no value column")]
    [InlineData("date,label\n2020-01-01,x\n2020-01-02,3\n", "Line 2, column 2 ('label'): 'x' is not a number")]
    [InlineData("year,a\n1700,\"1\n", "never closed")]
    public async Task A_bad_csv_is_a_400_naming_the_problem(string csv, string expected)
    {
        var errors = await (await _client.PostCsvAsync("bad-csv", csv, ("inputWindow", "2"), ("horizon", "1"))).ValidationErrorsAsync();
        Assert.Contains(expected, Assert.Single(errors, e => e.Key == "file").Value[0]);
    }

    [Fact]
    public async Task A_binary_file_or_no_file_is_a_400_naming_the_file_field()
    {
        // A workbook's first bytes name it: read as UTF-8, its compressed bytes had been told to convert from Windows-1252 (a QA pass).
        byte[] xlsx = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xC3, 0x28, 0xFF, 0xFE, 0x9F];
        var errors = await (await _client.PostCsvAsync("bad-csv", xlsx)).ValidationErrorsAsync();
        Assert.StartsWith("Not a CSV file: this is a zip archive, as an Excel workbook (.xlsx)", Assert.Single(errors, e => e.Key == "file").Value[0]);
        Assert.Contains("Save the sheet as \"CSV UTF-8", errors["file"][0]);
        byte[] xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0xFF, 0xFF];
        errors = await (await _client.PostCsvAsync("bad-csv", xls)).ValidationErrorsAsync();
        Assert.StartsWith("Not a CSV file: this is an Excel 97-2003 workbook (.xls)", Assert.Single(errors, e => e.Key == "file").Value[0]);

        errors = await (await _client.PostCsvAsync("bad-csv", (string?)null, ("horizon", "10"))).ValidationErrorsAsync();
        Assert.Contains("Required", Assert.Single(errors, e => e.Key == "file").Value[0]);
    }

    [Fact]
    public async Task A_file_wider_than_any_job_is_refused_at_its_header_and_repeated_headers_are_named()
    {
        // TrainingQueue:MaxSeries is 1000: 1,035 columns hold at most 1,000 series, 32 covariates, a time column and a row index.
        var wide = string.Join(",", Enumerable.Range(0, 1036).Select(i => $"c{i}")) + "\n" + string.Join(",", Enumerable.Repeat("1", 1036)) + "\n";
        var errors = await (await _client.PostCsvAsync("wide", wide, ("horizon", "1"))).ValidationErrorsAsync();
        Assert.Contains("The header has 1036 columns (separated by ','); a job takes at most 1000 series (TrainingQueue:MaxSeries)",
            Assert.Single(errors, e => e.Key == "file").Value[0]);

        var repeated = "date,a,b,a,b\n2020-01-01,1,2,3,4\n2020-01-02,1,2,3,4\n";
        var messages = (await (await _client.PostCsvAsync("wide", repeated, ("horizon", "1"))).ValidationErrorsAsync())["file"];
        Assert.Equal(["Line 1, column 4: the header 'a' is also column 2's; each column needs its own.",
            "Line 1, column 5: the header 'b' is also column 3's; each column needs its own."], messages);

        // A column without a header is named after its place: the header that collides with it is the one a person wrote.
        var unnamedFirst = "date,,column2\n2020-01-01,5,7\n2020-01-02,9,8\n2020-01-03,2,6\n";
        Assert.Equal(["Line 1, column 3: the header 'column2' is the name column 2 gets, which has no header; give column 2 a header, or this one another name."],
            (await (await _client.PostCsvAsync("wide", unnamedFirst, ("horizon", "1"))).ValidationErrorsAsync())["file"]);
        var unnamedLater = "date,column3,\n2020-01-01,5,7\n2020-01-02,9,8\n2020-01-03,2,6\n";
        Assert.Equal(["Line 1, column 3: this column has no header, so it is named 'column3', which is column 2's header; give it a header."],
            (await (await _client.PostCsvAsync("wide", unnamedLater, ("horizon", "1"))).ValidationErrorsAsync())["file"]);
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_a_400_saying_how_to_save_it()
    {
        // "Datum;Verkäufe (€)" as Excel's plain CSV writes it in Western Europe (Windows-1252): ä is 0xE4, € is 0x80.
        var header = Encoding.ASCII.GetBytes("Datum;Verk").Concat(new byte[] { 0xE4 }).Concat(Encoding.ASCII.GetBytes("ufe (")).Concat(new byte[] { 0x80 });
        var rows = Encoding.ASCII.GetBytes(")\n2020-01-01;1\n2020-01-02;2\n2020-01-03;3\n");
        var errors = await (await _client.PostCsvAsync("latin", [.. header, .. rows], ("horizon", "1"))).ValidationErrorsAsync();
        var message = Assert.Single(errors, e => e.Key == "file").Value[0];
        Assert.Contains("not UTF-8", message);
        Assert.Contains("CSV UTF-8", message);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/models/latin")).StatusCode);

        // A UTF-8 byte order mark does not make the decoder lenient (it replaced the bad bytes with U+FFFD, which became a series id).
        errors = await (await _client.PostCsvAsync("latin", [0xEF, 0xBB, 0xBF, .. header, .. rows], ("horizon", "1"))).ValidationErrorsAsync();
        Assert.Contains("not UTF-8", Assert.Single(errors, e => e.Key == "file").Value[0]);
        // UTF-16 and UTF-32 with their marks are read (either byte order; UTF-32's little-endian mark begins with UTF-16's, and
        // had been read as UTF-16 with a zero character after each letter), and refused when their bytes are not UTF-16 (an
        // unpaired surrogate).
        var text = "Datum;Verkäufe (€)\n2020-01-01;1\n2020-01-02;2\n2020-01-03;3\n";
        foreach (var utf16 in new Encoding[] { new UnicodeEncoding(false, true), new UnicodeEncoding(true, true), new UTF32Encoding(false, true), new UTF32Encoding(true, true) })
        {
            var accepted = await _client.PostCsvAsync("utf16", [.. utf16.GetPreamble(), .. utf16.GetBytes(text)], ("horizon", "1"), ("epochs", "1"));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            Assert.Equal("Verkäufe (€)", Assert.Single(Spec((await accepted.ReadAsync<TrainingJobResponse>()).Id).Series).Id);
        }
        byte[] broken = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("date,y\n"), 0x00, 0xD8, .. Encoding.Unicode.GetBytes("\n")];
        errors = await (await _client.PostCsvAsync("utf16", broken, ("horizon", "1"))).ValidationErrorsAsync();
        Assert.Contains("UTF-16's byte order mark but holds bytes it does not allow", Assert.Single(errors, e => e.Key == "file").Value[0]);
        byte[] broken32 = [0xFF, 0xFE, 0x00, 0x00, .. Encoding.UTF32.GetBytes("date,y\n"), 0x00, 0x00, 0x11, 0x00, .. Encoding.UTF32.GetBytes("\n")];
        errors = await (await _client.PostCsvAsync("utf32", broken32, ("horizon", "1"))).ValidationErrorsAsync();
        Assert.Contains("UTF-32's byte order mark but holds bytes it does not allow", Assert.Single(errors, e => e.Key == "file").Value[0]);
    }

    [Fact]
    public async Task Form_fields_are_typed_and_validated_like_the_json_body()
    {
        var csv = await File.ReadAllTextAsync(Api.SunspotsCsvPath);

        // Types, unknown fields and the series (which only the file gives) are named field by field.
        var errors = await (await _client.PostCsvAsync("form", csv, ("epochs", "3.5"), ("peepholes", "maybe"), ("scaling", "log"), ("bogus", "1"), ("series", "[]")))
            .ValidationErrorsAsync();
        Assert.Equal(["bogus", "epochs", "peepholes", "scaling", "series"], errors.Keys.Order());
        Assert.Contains("whole number", errors["epochs"][0]);
        Assert.Contains("windowLevel", errors["scaling"][0]);
        // An unknown field is told the fields the form takes, as the JSON body's is told its object's.
        Assert.StartsWith("Unknown field. The form's fields are file, covariateColumns, ", errors["bogus"][0]);
        Assert.Contains("horizon", errors["bogus"][0]);
        Assert.DoesNotContain("validationSplit", errors["bogus"][0]);

        // An object field is told its shape (it had been told "must be a JSON value of the documented type").
        errors = await (await _client.PostCsvAsync("form", csv, ("initFrom", "1"))).ValidationErrorsAsync();
        Assert.Equal("Invalid value '1': must be a JSON object such as {\"version\": 2}.", Assert.Single(errors["initFrom"]));

        // Bounds come from the same validator as the JSON body, with the same field names ...
        errors = await (await _client.PostCsvAsync("form", csv, ("horizon", "0"), ("Epochs", "0"), ("quantiles", "0.5,0.5"))).ValidationErrorsAsync();
        Assert.Equal(["epochs", "horizon", "quantiles[1]"], errors.Keys.Order());

        // ... and problems with a series are named by the CSV's column.
        errors = await (await _client.PostCsvAsync("form", csv, ("inputWindow", "400"), ("horizon", "10"))).ValidationErrorsAsync();
        Assert.StartsWith("Column 2 ('sunspots'): Too short", Assert.Single(errors, e => e.Key == "file").Value[0]);

        // A message quoting a value names it by the file's line and column too, not by a JSON path the file does not have.
        errors = await (await _client.PostCsvAsync("form", csv, ("transform", "log"))).ValidationErrorsAsync();
        Assert.Contains("line 13, column 2 ('sunspots') is 0", Assert.Single(errors["transform"]));

        // A classification job cannot come as a CSV (its sequences need labels): the task is named, not the CSV's dates.
        errors = await (await _client.PostCsvAsync("form", csv, ("task", "classification"))).ValidationErrorsAsync();
        Assert.Contains("a classification job takes JSON", Assert.Single(errors["task"]));
        Assert.Single(errors);
        // So do classification's own fields, whose usual message had said to set task to classification.
        errors = await (await _client.PostCsvAsync("form", csv, ("validationSplit", "time"))).ValidationErrorsAsync();
        Assert.StartsWith("For classification only, which a CSV upload does not train", Assert.Single(errors["validationSplit"]));
    }

    [Fact]
    public async Task Another_content_type_is_415_and_a_broken_or_missing_body_400()
    {
        var response = await _client.PostAsync("/models/raw/training-jobs", new StringContent("year,a\n1,2\n", Encoding.UTF8, "text/csv"));
        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);

        var broken = new StringContent("year,a\n1,2\n");
        broken.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        var errors = await (await _client.PostAsync("/models/raw/training-jobs", broken)).ValidationErrorsAsync();
        Assert.Contains("malformed", Assert.Single(errors, e => e.Key == "body").Value[0]);

        // No body and no Content-Type: the JSON endpoint answers, as before CSV uploads existed.
        errors = await (await _client.PostAsync("/models/raw/training-jobs", null)).ValidationErrorsAsync();
        Assert.Equal(["body"], errors.Keys);
    }
}
