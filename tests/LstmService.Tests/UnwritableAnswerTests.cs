using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using LstmService.Streams;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>
/// A stream's opening and its appends write their answer before they store anything (<see cref="Infrastructure.WritableAnswer"/>):
/// an answer the serializer refused after the stream was stored had been a 500 with the stream kept, so a client that sent
/// the request again opened a second one. The refusal is staged by a converter that fails while the test says so.
/// </summary>
public sealed class UnwritableAnswerTests : IAsyncLifetime
{
    readonly RefusingConverter _refusing = new();
    LstmServiceFactory _factory = null!;
    HttpClient _client = null!;

    /// <summary>Writes a stream's forecast as the service does, unless <see cref="Refuse"/> is set.</summary>
    sealed class RefusingConverter : JsonConverter<StreamForecastResponse>
    {
        public bool Refuse { get; set; }

        public override StreamForecastResponse Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, StreamForecastResponse value, JsonSerializerOptions options)
        {
            if (Refuse) throw new JsonException("a value JSON cannot hold");
            writer.WriteStartObject();
            writer.WriteNumber("length", value.Length);
            writer.WriteEndObject();
        }
    }

    public Task InitializeAsync()
    {
        _factory = new LstmServiceFactory(services: s => s.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Insert(0, _refusing)));
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    async Task<int> StreamCount(string model) =>
        (await (await _client.GetAsync($"/models/{model}/versions/1/monitoring")).ReadAsync<JsonElement>()).GetProperty("streams").GetInt32();

    [Fact]
    public async Task AnAnswerThatCannotBeWrittenStoresNeitherTheStreamNorItsValues()
    {
        var values = Enumerable.Range(0, 60).Select(t => (float)(50 + 10 * Math.Sin(2 * Math.PI * t / 12))).ToArray();
        await _client.TrainAsync("refused", new { seed = 3, series = new[] { new { id = "a", values } }, inputWindow = 12, horizon = 3, hiddenSize = 4, epochs = 2 });

        _refusing.Refuse = true;
        var refused = await _client.PostJsonAsync("/models/refused/streams", new { seriesId = "a", history = values[..40] });
        Assert.True(refused.StatusCode == HttpStatusCode.InternalServerError, await refused.Content.ReadAsStringAsync());
        var problem = await refused.ReadAsync<JsonElement>();
        Assert.Contains("not opened", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await StreamCount("refused"));

        _refusing.Refuse = false;
        var opened = await _client.PostJsonAsync("/models/refused/streams", new { seriesId = "a", history = values[..40] });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        string id = (await opened.ReadAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(1, await StreamCount("refused"));

        _refusing.Refuse = true;
        var append = await _client.PostJsonAsync($"/streams/{id}/observations", new { values = values[40..43] });
        Assert.Equal(HttpStatusCode.InternalServerError, append.StatusCode);
        Assert.Contains("not appended", (await append.ReadAsync<JsonElement>()).GetProperty("detail").GetString());

        _refusing.Refuse = false;
        var shown = await (await _client.GetAsync($"/streams/{id}")).ReadAsync<JsonElement>();
        Assert.Equal(40, shown.GetProperty("length").GetInt32());
        var appended = await _client.PostJsonAsync($"/streams/{id}/observations", new { values = values[40..43] });
        Assert.Equal(HttpStatusCode.OK, appended.StatusCode);
        Assert.Equal(43, (await appended.ReadAsync<JsonElement>()).GetProperty("length").GetInt32());
    }
}
