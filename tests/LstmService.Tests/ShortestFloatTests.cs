using System.Globalization;
using System.Text;
using System.Text.Json;
using LstmService.Forecasts;
using LstmService.Infrastructure;

namespace LstmService.Tests;

/// <summary>
/// <see cref="ShortestFloat"/> writes what .NET writes for a float, byte for byte, or leaves it to .NET; the forecast
/// answer's arrays (<see cref="ForecastValuesConverter"/>) come out as the built-in converter writes them.
/// </summary>
public sealed class ShortestFloatTests
{
    private static string Net(float value) => value.ToString(CultureInfo.InvariantCulture);

    private static void AssertLikeNet(float value)
    {
        Span<byte> text = stackalloc byte[ShortestFloat.MaxLength];
        if (ShortestFloat.TryFormat(value, text, out int written))
            Assert.True(Encoding.ASCII.GetString(text[..written]) == Net(value),
                $"0x{BitConverter.SingleToUInt32Bits(value):X8}: {Encoding.ASCII.GetString(text[..written])} against .NET's {Net(value)}");
        else
            Assert.True(!float.IsFinite(value) || Net(value).Contains('E'), $"0x{BitConverter.SingleToUInt32Bits(value):X8} ({Net(value)}) was refused");
    }

    [Fact]
    public void Edge_values_come_out_as_dotnet_writes_them()
    {
        float[] edges =
        [
            0f, -0f, 1f, -1f, 0.1f, 0.2f, 0.3f, 1.5f, 10f, 100f, 123456789f, 999999999f, 1e9f, 1e8f, 99999990f,
            0.0001f, 0.00009999999f, 0.00011f, 1e-5f, 1.17549435e-38f, float.Epsilon, float.MaxValue, float.MinValue,
            float.NaN, float.PositiveInfinity, float.NegativeInfinity, 16777216f, 16777217f, 8388608.5f, 0.3333333f,
            2.7182817f, 3.1415927f, 26.961374f, 59.93668f, -47.8f, 1.0000001f, 0.99999994f, 1.0000002f, 7.038531e-26f,
        ];
        foreach (var v in edges) AssertLikeNet(v);
        for (int i = -60; i <= 60; i++)
        {
            AssertLikeNet(MathF.Pow(10, i / 4f));
            AssertLikeNet(MathF.ScaleB(1, i));
            AssertLikeNet(-MathF.ScaleB(3, i));
        }
        for (int i = 0; i <= 100_000; i++) AssertLikeNet(i); // integers: trailing zeros decide the rounding
    }

    [Fact]
    public void Two_million_random_floats_come_out_as_dotnet_writes_them()
    {
        var rng = new Random(20261130);
        for (int i = 0; i < 1_000_000; i++) AssertLikeNet(BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, 1L << 32)));
        // and the forecasts' usual range: values with many digits between 1e-4 and 1e6
        for (int i = 0; i < 1_000_000; i++) AssertLikeNet((float)((rng.NextDouble() - 0.3) * Math.Pow(10, rng.Next(-4, 7))));
    }

    [Fact]
    public void A_forecast_answer_is_written_as_the_builtin_converter_writes_it()
    {
        var rng = new Random(7);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-6, 11)))).ToArray();
        var answer = new ForecastResponse("m", 3, 500,
        [
            new SeriesForecastResponse("a", Values(10), new Dictionary<string, float[]> { ["0.1"] = Values(10), ["0.9"] = Values(10) }, ["t0"]),
            new SeriesForecastResponse("b", Values(500), new Dictionary<string, float[]> { ["0.5"] = Values(500) }, []), // past the stack buffer
            new SeriesForecastResponse("c", [], new Dictionary<string, float[]> { ["0.5"] = [0f, -0f, 1e-7f, 3e38f] }, []),
        ]);
        // The same shape in anonymous types, which the built-in converters write.
        var builtIn = new
        {
            model = answer.Model, version = answer.Version, horizon = answer.Horizon,
            forecasts = answer.Forecasts.Select(f => new { id = f.Id, mean = f.Mean, quantiles = f.Quantiles, timestamps = f.Timestamps }),
        };
        var plain = new JsonSerializerOptions(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict };
        var written = JsonSerializer.Serialize(answer, ForecastJsonContext.Default.ForecastResponse);
        Assert.Equal(JsonSerializer.Serialize(builtIn, plain), written);
        Assert.Contains("1E-07", written);
        // and it reads back
        var read = JsonSerializer.Deserialize(written, ForecastJsonContext.Default.ForecastResponse)!;
        Assert.Equal(answer.Forecasts[1].Mean, read.Forecasts[1].Mean);
        Assert.Equal(answer.Forecasts[0].Quantiles["0.9"], read.Forecasts[0].Quantiles["0.9"]);
    }

    [Fact]
    public async Task The_answer_is_documented_as_arrays_of_numbers()
    {
        await using var factory = new LstmServiceFactory();
        var document = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var properties = document.GetProperty("components").GetProperty("schemas").GetProperty("SeriesForecastResponse").GetProperty("properties");
        var mean = properties.GetProperty("mean");
        Assert.Equal("array", mean.GetProperty("type").GetString());
        Assert.Equal("number", mean.GetProperty("items").GetProperty("type").GetString());
        var quantiles = properties.GetProperty("quantiles");
        Assert.Equal("object", quantiles.GetProperty("type").GetString());
        Assert.Equal("number", quantiles.GetProperty("additionalProperties").GetProperty("items").GetProperty("type").GetString());
        Assert.Equal("Point forecast per step.", mean.GetProperty("description").GetString());
    }

    [Fact]
    public void A_forecast_holding_NaN_is_refused_as_the_builtin_converter_refuses_it()
    {
        var answer = new ForecastResponse("m", 1, 2, [new SeriesForecastResponse("a", [1f, float.NaN], [])]);
        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(answer, ForecastJsonContext.Default.ForecastResponse));
    }
}
