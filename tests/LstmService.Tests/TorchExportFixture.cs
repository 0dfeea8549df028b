using System.Text.Json.Nodes;

namespace LstmService.Tests;

/// <summary>
/// A service with one small trained version, "source" v1 (a sine around 10: non-negative, with the classical members), whose
/// torch-format export the registration tests edit and post back.
/// </summary>
public sealed class TorchExportFixture : ServiceFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.TrainAsync("source", Api.TinyTraining(epochs: 2));
    }

    /// <summary>A fresh copy of the export (<c>GET /models/source/versions/1/weights?format=torch</c>) to edit.</summary>
    public async Task<JsonObject> ExportAsync() =>
        JsonNode.Parse(await Client.GetStringAsync("/models/source/versions/1/weights?format=torch"))!.AsObject();
}
