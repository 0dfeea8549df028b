using System.Text;

namespace LstmService.Tests;

/// <summary>One service with a small trained model "tiny" (inputWindow 12, horizon 3) and small limits for every bad-input case.</summary>
public sealed class BadInputFixture() : ServiceFixture(new Dictionary<string, string?>
{
    ["TrainingQueue:MaxSeries"] = MaxSeries.ToString(),
    ["TrainingQueue:MaxEpochs"] = MaxEpochs.ToString(),
    ["RequestLimits:MaxBodyBytes"] = MaxBodyBytes.ToString(),
})
{
    public const int MaxSeries = 5, MaxEpochs = 50, MaxBodyBytes = 64 * 1024;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.TrainAsync("tiny", Api.TinyTraining(epochs: 2));
    }

    /// <summary>Posts <paramref name="json"/> as it is written, so that what a serializer would never write can be sent.</summary>
    public Task<HttpResponseMessage> PostRaw(string url, string json) =>
        Client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>A training series' 40 values as JSON, the fourth written as <paramref name="fourth"/>.</summary>
    public static string Values(string fourth) => string.Join(",", Api.Sine(40).Select((v, i) => i == 3 ? fourth : v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
