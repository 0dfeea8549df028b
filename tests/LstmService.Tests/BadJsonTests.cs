using System.Net.Http.Json;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// JSON that binds ambiguously or to the wrong type: a key given twice, a trailing comma, a value of the wrong kind, text
/// that is no text, a null where a value must be. Each is refused naming the field, with nothing stored.
/// </summary>
public sealed class BadJsonTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task A_key_given_twice_is_refused_naming_it_not_won_by_the_last()
    {
        var history = string.Join(",", Enumerable.Repeat("1", 12));
        // The reflection-based training body, the source-generated forecast body, and a dictionary (covariates) inside it.
        var training = await (await fixture.PostRaw("/models/twice/training-jobs", $$"""{"series":[{"values":[{{BadInputFixture.Values("1")}}]}],"horizon":2,"horizon":3}""")).ValidationErrorsAsync();
        Assert.Contains("more than once", Assert.Single(training, e => e.Key == "horizon").Value.Single());
        var forecast = await (await fixture.PostRaw("/models/tiny/forecast", $$"""{"series":[{"history":[{{history}}]}],"horizon":1,"Horizon":2}""")).ValidationErrorsAsync();
        Assert.Contains("more than once", Assert.Single(forecast).Value.Single());
        Assert.Equal("horizon", Assert.Single(forecast).Key, ignoreCase: true);
        var covariates = await (await fixture.PostRaw("/models/tiny/forecast", $$$"""{"series":[{"history":[{{{history}}}],"covariates":{"price":[{{{history}}}],"price":[{{{history}}}]}}]}""")).ValidationErrorsAsync();
        Assert.Contains("more than once", Assert.Single(covariates, e => e.Key == "series[0].covariates.price").Value.Single());
        Assert.Empty(await _client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs?model=twice", Api.Json) ?? []);
    }

    [Fact]
    public async Task An_unknown_field_is_told_the_fields_its_object_takes()
    {
        // A forecast's series sent with training's "values": the answer says a series here takes "history".
        var history = string.Join(",", Enumerable.Repeat("1", 12));
        var forecast = await (await fixture.PostRaw("/models/tiny/forecast", $$"""{"series":[{"values":[{{history}}]}]}""")).ValidationErrorsAsync();
        var message = Assert.Single(forecast, e => e.Key == "series[0].values").Value.Single();
        Assert.StartsWith("Unknown field.", message);
        Assert.Contains("history", message);
        // And a training series sent with a forecast's "history": it takes "values".
        var training = await (await fixture.PostRaw("/models/m/training-jobs", $$"""{"series":[{"history":[{{history}}]}]}""")).ValidationErrorsAsync();
        Assert.Contains("values", Assert.Single(training, e => e.Key == "series[0].history").Value.Single());
    }

    [Theory]
    // An array of numbers is read whole before its values are (NullableDoubleListConverter), so the comma is named by its array.
    [InlineData("/models/m/training-jobs", """{"series":[{"values":[1,2,3,]}]}""", "series[0].values")]
    [InlineData("/models/m/training-jobs", """{"series":[{"values":[1,2,3]}],}""", "body")]
    [InlineData("/models/tiny/forecast", """{"series":[{"history":[1,2,3],}]}""", "series[0]")]
    public async Task A_trailing_comma_is_named_in_plain_words(string url, string json, string field)
    {
        var message = Assert.Single((await (await fixture.PostRaw(url, json)).ValidationErrorsAsync()), e => e.Key == field).Value.Single();
        Assert.StartsWith("Trailing commas are not allowed", message);
        Assert.DoesNotContain("reader options", message);
    }

    [Theory]
    // The reader's path had pointed past the last element ("series[1]" of a one-series body) with its own sentence.
    [InlineData("/models/tiny/forecast", """{"series":[{"history":[1,2,3]}]""")]
    [InlineData("/models/m/training-jobs", """{"series":[{"values":[1,2,3]}],"horizon":""")]
    [InlineData("/models/tiny/forecast", """{"series":[{"id":"a""")]
    public async Task A_body_cut_short_is_named_as_the_body(string url, string json)
    {
        var errors = await (await fixture.PostRaw(url, json)).ValidationErrorsAsync();
        var message = Assert.Single(errors, e => e.Key == "body").Value.Single();
        Assert.StartsWith("The JSON body ends before it is complete", message);
        Assert.Single(errors);
    }

    [Fact]
    public async Task A_csv_sent_as_a_json_body_is_told_how_to_upload_it_where_the_endpoint_takes_one()
    {
        // A QA pass: curl --data-binary @sales.csv with Content-Type application/json had answered only "'d' is an invalid start of a value".
        const string Csv = "date,sales\n2024-01-01,10\n2024-01-02,12\n";
        var message = Assert.Single((await (await fixture.PostRaw("/models/m/training-jobs", Csv)).ValidationErrorsAsync())["body"]);
        Assert.Contains("To upload a CSV file, send it as multipart/form-data with the file in the field 'file'", message);
        // A forecast takes JSON alone: no such advice.
        var forecast = Assert.Single((await (await fixture.PostRaw("/models/tiny/forecast", Csv)).ValidationErrorsAsync())["body"]);
        Assert.DoesNotContain("multipart", forecast);
        // Nor where the JSON goes wrong later on.
        var later = (await (await fixture.PostRaw("/models/m/training-jobs", """{"series": x}""")).ValidationErrorsAsync()).Values.Single().Single();
        Assert.DoesNotContain("multipart", later);
    }

    [Theory]
    // Python's json.dumps writes float('nan') and the infinities bare; the reader had said only "'N' is an invalid start of a value".
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public async Task A_bare_NaN_or_infinity_is_told_to_be_null(string literal)
    {
        var errors = await (await fixture.PostRaw("/models/tiny/forecast", $$"""{"series":[{"history":[1,2,{{literal}},4]}]}""")).ValidationErrorsAsync();
        var (field, messages) = Assert.Single(errors);
        Assert.StartsWith("series[0].history", field);
        Assert.Contains("send null for a missing value", messages.Single());
    }

    [Theory]
    [InlineData("cell", "\"rnn\"", "Must be one of lstm, gru.")]
    [InlineData("transform", "\"sqrt\"", "Must be one of none, log.")]
    [InlineData("scaling", "true", "Must be one of windowLevel, seriesZScore, seriesRobust.")]
    [InlineData("seed", "-1", "Must be a non-negative whole number (0..18446744073709551615) written without a decimal point or exponent (3, not 3.0).")]
    [InlineData("epochs", "2.5", "Must be a whole number written without a decimal point or exponent (3, not 3.0), within the field's range.")]
    [InlineData("epochs", "99999999999", "Must be a whole number written without a decimal point or exponent (3, not 3.0), within the field's range.")]
    [InlineData("highway", "\"yes\"", "Must be true or false.")]
    [InlineData("frequency", "12", "Must be a JSON string.")]
    [InlineData("dropout", "\"half\"", "Must be a finite JSON number, not a string (0.5, not \"0.5\"; NaN and Infinity are not allowed; use null for a missing value).")]
    [InlineData("dropout", "\"0.5\"", "Must be a finite JSON number, not a string (0.5, not \"0.5\"; NaN and Infinity are not allowed; use null for a missing value).")]
    [InlineData("dropout", "[0.5]", "Must be a finite JSON number (NaN and Infinity are not allowed; use null for a missing value).")]
    [InlineData("quantiles", "0.5", "Must be a JSON array.")]
    [InlineData("initFrom", "[1]", "Must be a JSON object.")]
    [InlineData("classWeights", "[1]", "Must be a JSON object.")] // a read-only dictionary is an object, not an array
    public async Task A_value_of_the_wrong_kind_says_what_the_field_takes(string field, string literal, string message)
    {
        var errors = await (await fixture.PostRaw("/models/m/training-jobs", $$"""{"series":[{"values":[{{BadInputFixture.Values("1")}}]}],"{{field}}":{{literal}}}""")).ValidationErrorsAsync();
        Assert.Equal(message, Assert.Single(errors, e => e.Key == field).Value.Single());
    }

    [Theory]
    [InlineData("/models/m/training-jobs", """{"series":[{"values":[1,2,"3",4]}]}""", "series[0].values[2]")]
    [InlineData("/models/m/forecast", """{"series":[{"history":[1,2,"3",4]}]}""", "series[0].history[2]")]
    [InlineData("/models/m/training-jobs", """{"series":[{"values":[1,2,"n/a",4]}]}""", "series[0].values[2]")]
    public async Task A_series_value_in_quotes_is_told_of_the_quotes(string path, string body, string field)
    {
        // It had been told "Must be a finite JSON number or null (NaN and Infinity are not allowed ...)" (a QA pass).
        var errors = await (await fixture.PostRaw(path, body)).ValidationErrorsAsync();
        Assert.Equal("Must be a JSON number or null, not a string (3, not \"3\"; NaN and Infinity are not allowed; use null for a missing value).",
            Assert.Single(errors, e => e.Key == field).Value.Single());
    }

    [Fact]
    public async Task Text_that_is_no_text_is_named_as_such()
    {
        var errors = await (await fixture.PostRaw("/models/m/forecast", """{"series":[{"history":[1],"id":"a\ud800b"}]}""")).ValidationErrorsAsync();
        Assert.StartsWith("Must be valid text", Assert.Single(errors, e => e.Key == "series[0].id").Value.Single());
    }

    [Fact]
    public async Task A_null_where_no_value_may_be_missing_is_not_told_to_use_null()
    {
        var errors = await (await fixture.PostRaw("/models/m/training-jobs", $$"""{"series":[{"values":[{{BadInputFixture.Values("1")}}]}],"quantiles":[0.1,null]}""")).ValidationErrorsAsync();
        Assert.Equal("Must be a finite JSON number (NaN, Infinity and null are not allowed here).", Assert.Single(errors, e => e.Key == "quantiles[1]").Value.Single());
    }

    [Theory]
    [InlineData("horizon", "2.5", "horizon", "Must be a whole number written without a decimal point or exponent (3, not 3.0), within the field's range.")]
    [InlineData("horizon", "\"3\"", "horizon", "Must be a JSON number, not a string: a whole number without quotes (3, not \"3\").")]
    [InlineData("frequency", "5", "frequency", "Must be a JSON string.")]
    [InlineData("series[0].id", "5", "series[0].id", "Must be a JSON string.")]
    [InlineData("series[0].covariates", "[]", "series[0].covariates", "Must be a JSON object.")]
    public async Task A_forecasts_value_of_the_wrong_kind_says_what_the_field_takes(string field, string literal, string key, string message)
    {
        // The forecast body's serializer is source-generated and names the object holding the field, not the field's type.
        var body = field.StartsWith("series[0].", StringComparison.Ordinal)
            ? $$"""{"series":[{"history":[1],"{{field["series[0].".Length..]}}":{{literal}}}]}"""
            : $$"""{"series":[{"history":[1]}],"{{field}}":{{literal}}}""";
        var errors = await (await fixture.PostRaw("/models/m/forecast", body)).ValidationErrorsAsync();
        Assert.Equal(message, Assert.Single(errors, e => e.Key == key).Value.Single());
    }
}
