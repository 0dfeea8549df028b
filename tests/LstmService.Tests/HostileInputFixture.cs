using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LstmService.Forecasting.Training;

namespace LstmService.Tests;

/// <summary>
/// A service that runs no jobs (Workers=0, so an accepted training submit changes no version) holding one registered
/// model, "base", version 1 with the alias "prod": what the hostile bodies must leave as it is.
/// </summary>
public sealed class HostileInputFixture() : ServiceFixture(new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0" })
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Trained in-process (no worker runs here) and registered through the API as a client would.
        var values = Api.Sine(120).Select(v => (float)v).ToArray();
        var model = ForecastTrainer.Train([values], new TrainingOptions { Horizon = 3, InputWindow = 12, HiddenSize = 4, Epochs = 1, Ensemble = 1 }).Model;
        var stateDict = JsonDocument.Parse(model.ToStateDictJson()).RootElement;
        var registered = await Client.PostJsonAsync("/models/base/versions", new { stateDict });
        if (registered.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException(await registered.Content.ReadAsStringAsync());
        var alias = await Client.PutAsync("/models/base/aliases/prod", JsonContent.Create(new { version = 1 }));
        if (alias.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException(await alias.Content.ReadAsStringAsync());
    }
}
