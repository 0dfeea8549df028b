namespace LstmService.Tests;

/// <summary>A service with the tiny model "tiny" (inputWindow 12, horizon 3) and the default body limit, so big histories fit.</summary>
public sealed class TinyModelFixture : ServiceFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.TrainAsync("tiny", Api.TinyTraining(epochs: 2));
    }
}
