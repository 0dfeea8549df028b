using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LstmService.Infrastructure;

namespace LstmService.Tests;

/// <summary>
/// The forecast body's histories, read by <see cref="NullableFloatArrayConverter"/> straight into float32: numbers as
/// <c>(float)double</c>, null as NaN, anything else rejected with the element's field path; over HTTP and on its own.
/// </summary>
public sealed class HistoryConverterTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private readonly HttpClient _client = fixture.Client;

    private static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiDefaults.ConfigureJson(o);
        o.Converters.Add(new NullableFloatArrayConverter());
        return o;
    }

    private static float[] Read(string json) => JsonSerializer.Deserialize<float[]>(json, Options)!;

    private Task<HttpResponseMessage> Forecast(string history, int series = 1) =>
        _client.PostAsync("/models/tiny/forecast", new StringContent(
            $$"""{"series":[{{string.Join(",", Enumerable.Repeat($$"""{"history":[{{history}}]}""", series))}}]}""", Encoding.UTF8, "application/json"));

    private static string Numbers(int count, Func<int, string?>? at = null) =>
        string.Join(",", Api.Sine(count).Select((v, i) => at?.Invoke(i) ?? v.ToString("R", CultureInfo.InvariantCulture)));

    [Fact]
    public void Numbers_read_as_the_float_of_their_double()
    {
        string[] literals = ["0", "-0", "1", "-2.5", "0.1", "3.4028234663852886E+38", "-3.4028234663852886E+38", "1e-45", "1e-50", "123456789.123456789", "7E2", "16777217"];
        var values = Read($"[{string.Join(",", literals)}]");
        Assert.Equal(literals.Select(l => (float)double.Parse(l, CultureInfo.InvariantCulture)), values);
        Assert.Empty(Read("[]"));
    }

    [Fact]
    public void Null_reads_as_NaN_and_numbers_beyond_the_float_range_as_infinity()
    {
        var values = Read("[null, 1, null, 1e39, -1e39, null, 1e400, -1e400]");
        Assert.True(float.IsNaN(values[0]) && float.IsNaN(values[2]) && float.IsNaN(values[5]));
        Assert.Equal(1f, values[1]);
        Assert.Equal(float.PositiveInfinity, values[3]);
        Assert.Equal(float.PositiveInfinity, values[4]); // beyond the float range, either sign
        Assert.Equal(float.NegativeInfinity, values[6]); // beyond the double range
        Assert.Equal(float.NegativeInfinity, values[7]);
        Assert.Equal("[null,1,null]", JsonSerializer.Serialize(new[] { float.NaN, 1f, float.NaN }, Options));
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("\"NaN\"")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{}")]
    public void Non_numbers_are_rejected_with_their_index(string literal)
    {
        var e = Assert.Throws<JsonArrayElementException>(() => JsonSerializer.Deserialize<Holder>($$"""{"values":[1,2,{{literal}},4]}""", Options));
        Assert.Equal(2, e.Index);
        Assert.Equal("$.values", e.Path);
        Assert.Throws<JsonException>(() => Read("5"));
    }

    private sealed record Holder(float[] Values);

    [Fact]
    public void Huge_arrays_read_whole()
    {
        const int n = 1_000_003; // past many doublings of the pooled buffer, and not a power of two
        var json = new StringBuilder("[");
        for (int i = 0; i < n; i++) json.Append(i % 1000 == 999 ? "null" : (i * 0.5).ToString(CultureInfo.InvariantCulture)).Append(i + 1 < n ? "," : "]");
        var values = Read(json.ToString());
        Assert.Equal(n, values.Length);
        for (int i = 0; i < n; i++)
            if (i % 1000 == 999) Assert.True(float.IsNaN(values[i]));
            else Assert.Equal((float)(i * 0.5), values[i]);
    }

    [Fact]
    public async Task Nulls_in_a_history_forecast_as_missing_values()
    {
        var response = await Forecast(Numbers(40, i => i is 5 or 30 or 38 ? "null" : null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var forecast = (await response.ReadAsync<JsonElement>()).GetProperty("forecasts")[0];
        Assert.Equal(3, forecast.GetProperty("mean").GetArrayLength());
        Assert.All(forecast.GetProperty("mean").EnumerateArray(), v => Assert.True(double.IsFinite(v.GetDouble())));
    }

    [Theory]
    [InlineData("\"7\"")]
    [InlineData("false")]
    [InlineData("[7]")]
    [InlineData("{\"v\":7}")]
    [InlineData("\"Infinity\"")]
    public async Task A_non_number_is_named_by_its_field_path(string literal)
    {
        var response = await _client.PostAsync("/models/tiny/forecast", new StringContent(
            $$"""{"series":[{"history":[{{Numbers(40)}}]},{"history":[{{Numbers(40)}}]},{"history":[{{Numbers(40)}}]},{"history":[{{Numbers(40, i => i == 7 ? literal : null)}}]}]}""",
            Encoding.UTF8, "application/json"));
        var errors = await response.ValidationErrorsAsync();
        Assert.Contains("NaN and Infinity are not allowed", Assert.Single(errors, e => e.Key == "series[3].history[7]").Value[0]);
    }

    [Fact]
    public async Task Numbers_beyond_the_float_range_missing_and_short_histories_are_named()
    {
        var errors = await (await Forecast(Numbers(40, i => i == 5 ? "1e39" : i == 9 ? "-4e38" : i == 20 ? "1e400" : null))).ValidationErrorsAsync();
        Assert.Equal(["series[0].history[20]", "series[0].history[5]", "series[0].history[9]"], errors.Keys.Order());
        Assert.Contains("32-bit float range", errors["series[0].history[5]"][0]);
        Assert.Contains("32-bit float range", errors["series[0].history[9]"][0]);
        Assert.Contains("numbers beyond ±1.8e308 (the 64-bit float range) are not allowed", errors["series[0].history[20]"][0]);

        var response = await _client.PostAsync("/models/tiny/forecast", new StringContent("""{"series":[{"id":"a"},{"history":null},{"history":[]},{"history":[1,2,3]},{"history":5}]}""", Encoding.UTF8, "application/json"));
        errors = await response.ValidationErrorsAsync();
        Assert.Equal(["series[4].history"], errors.Keys); // a history that is not an array fails the body as a whole
        response = await _client.PostAsync("/models/tiny/forecast", new StringContent("""{"series":[{"id":"a"},{"history":null},{"history":[]},{"history":[1,2,3]}]}""", Encoding.UTF8, "application/json"));
        errors = await response.ValidationErrorsAsync();
        Assert.Equal(["series[0].history", "series[1].history", "series[2].history", "series[3].history"], errors.Keys.Order());
        Assert.Contains("Too short: 3 values", errors["series[3].history"][0]);

        // The window before a trailing gap mostly missing (a trailing gap itself is forecast through, up to 12 values here; so
        // is a gap that a value closes, filled with the model's forecasts, unless it is longer, as this one of 13).
        errors = await (await Forecast(Numbers(40, i => i is >= 23 and < 36 || i >= 37 ? "null" : null))).ValidationErrorsAsync();
        Assert.Contains("Mostly missing: 11 of the 12 values up to the last observed one", Assert.Single(errors, e => e.Key == "series[0].history").Value[0]);
        errors = await (await Forecast(Numbers(40, i => i >= 27 ? "null" : null))).ValidationErrorsAsync();
        Assert.Contains("The last 13 values are missing", Assert.Single(errors, e => e.Key == "series[0].history").Value[0]);
    }

    [Fact]
    public async Task The_longest_history_allowed_forecasts_and_a_longer_one_is_rejected()
    {
        Assert.Equal(HttpStatusCode.OK, (await Forecast(Numbers(100_000))).StatusCode);
        var errors = await (await Forecast(Numbers(100_001))).ValidationErrorsAsync();
        Assert.Contains("At most 100000 values", Assert.Single(errors, e => e.Key == "series[0].history").Value[0]);
    }
}
