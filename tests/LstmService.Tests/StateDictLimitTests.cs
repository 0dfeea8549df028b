using System.Net;
using System.Text;

namespace LstmService.Tests;

/// <summary>A state_dict's declared shapes are held to the training limits before the kernel allocates anything.</summary>
public sealed class StateDictLimitTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    /// <summary>A small document declaring large tensors (with empty data): only the shapes are big.</summary>
    private static string Declaring(int hidden, int layers, int input = 1, int outputs = 1)
    {
        var tensors = new List<string>();
        for (var l = 0; l < layers; l++)
        {
            var width = l == 0 ? input : hidden;
            tensors.Add($"\"lstm.weight_ih_l{l}\":{{\"shape\":[{4 * hidden},{width}],\"data\":[]}}");
            tensors.Add($"\"lstm.weight_hh_l{l}\":{{\"shape\":[{4 * hidden},{hidden}],\"data\":[]}}");
            tensors.Add($"\"lstm.bias_ih_l{l}\":{{\"shape\":[{4 * hidden}],\"data\":[]}}");
            tensors.Add($"\"lstm.bias_hh_l{l}\":{{\"shape\":[{4 * hidden}],\"data\":[]}}");
        }
        tensors.Add($"\"head.weight\":{{\"shape\":[{outputs},{hidden}],\"data\":[]}}");
        tensors.Add($"\"head.bias\":{{\"shape\":[{outputs}],\"data\":[]}}");
        return "{\"inputWindow\":12,\"horizon\":1,\"stateDict\":{" + string.Join(",", tensors) + "}}";
    }

    private Task<HttpResponseMessage> Register(string body) =>
        fixture.Client.PostAsync("/models/huge/versions", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_1_KB_document_declaring_8192_hidden_units_in_3_layers_is_refused_without_allocating_the_network()
    {
        var body = Declaring(hidden: 8192, layers: 3);
        Assert.InRange(body.Length, 500, 1_500);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var errors = await (await Register(body)).ValidationErrorsAsync();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var message = Assert.Single(errors["stateDict.lstm.weight_hh_l0.shape"]);
        Assert.Contains("TrainingQueue:MaxNetworkParameters", message);
        Assert.Contains("3 layer(s) of 8192 units", message);
        // The network would be about 3.2 GB of floats; the answer costs a few megabytes at most.
        Assert.True(allocated < 64L * 1024 * 1024, $"allocated {allocated:N0} bytes");
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/models/huge")).StatusCode);
    }

    [Fact]
    public async Task A_gru_document_is_measured_by_its_own_tensors()
    {
        // The same shapes as torch.nn.GRU names them (3H gate rows): named under gru.*, counted with three gates.
        static string Gru(string body, int hidden) => body.Replace("lstm.", "gru.").Replace($"[{4 * hidden},", $"[{3 * hidden},").Replace($"[{4 * hidden}]", $"[{3 * hidden}]");
        var errors = await (await Register(Gru(Declaring(hidden: 8192, layers: 3), 8192))).ValidationErrorsAsync();
        var message = Assert.Single(errors["stateDict.gru.weight_hh_l0.shape"]);
        Assert.Contains("3 layer(s) of 8192 units", message);
        Assert.Contains($"{new LstmService.Kernels.RecurrentConfig(LstmService.Kernels.RecurrentCell.Gru, 1, 8192, 3).ParameterCount():N0} parameters", message);
        var deep = await (await Register(Gru(Declaring(hidden: 4, layers: 9), 4))).ValidationErrorsAsync();
        Assert.Contains("gru.*_l0", Assert.Single(deep["stateDict.gru.weight_ih_l8"]));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/models/huge")).StatusCode);
    }

    [Fact]
    public async Task Widths_past_the_kernel_s_and_too_many_layers_are_named()
    {
        var wide = await (await Register(Declaring(hidden: 8_000, layers: 1).Replace("[32000,8000],", "[32000,8200],"))).ValidationErrorsAsync();
        Assert.Contains("at most 8192", Assert.Single(wide["stateDict.lstm.weight_hh_l0.shape"]));

        var deep = await (await Register(Declaring(hidden: 4, layers: 9))).ValidationErrorsAsync();
        Assert.Contains("At most 8 layers", Assert.Single(deep["stateDict.lstm.weight_ih_l8"]));

        var absurd = await (await Register(Declaring(hidden: 4, layers: 1).Replace("[16,4]", "[16,99999999999]"))).ValidationErrorsAsync();
        Assert.Contains("whole numbers", Assert.Single(absurd["stateDict.lstm.weight_hh_l0.shape"]));
    }

    [Fact]
    public async Task Data_that_disagrees_with_its_declared_shape_is_named()
    {
        var errors = await (await Register(Declaring(hidden: 2, layers: 1))).ValidationErrorsAsync();
        Assert.Contains("its shape declares 8", Assert.Single(errors["stateDict.lstm.bias_ih_l0.data"]));
    }

    [Fact]
    public async Task A_training_job_whose_merged_network_exceeds_the_budget_is_refused_naming_hiddenSize()
    {
        var response = await fixture.Client.PostJsonAsync("/models/big/training-jobs", new
        {
            series = new[] { new { values = Api.Sine(200) } },
            hiddenSize = 1024,
            layers = 8,
            ensemble = 1,
        });
        var errors = await response.ValidationErrorsAsync();
        Assert.Contains("TrainingQueue:MaxNetworkParameters", Assert.Single(errors["hiddenSize"]));
    }
}
