using System.Net.Http.Json;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasts;
using LstmService.Infrastructure;
using LstmService.Kernels;
using LstmService.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LstmService.Tests;

/// <summary>ModelCache:MaxBytes: least recently used models are dropped first, the budget holds, a dropped model comes back the same.</summary>
public sealed class ModelCacheTests : IDisposable
{
    private readonly string _directory = LstmServiceFactory.NewDataDirectory();

    public void Dispose() => LstmServiceFactory.DeleteDirectory(_directory);

    private static ForecastModel TinyModel(ulong seed) =>
        new(LstmNetwork.Create(new LstmConfig(InputSize: 1, HiddenSize: 4, OutputSize: 3), seed), inputWindow: 8, horizon: 3, quantiles: [], ScalingMode.WindowLevel);

    private static ModelCache Cache(long budget) =>
        new(Options.Create(new ModelCacheOptions { MaxBytes = budget }), NullLogger<ModelCache>.Instance);

    [Fact]
    public void The_least_recently_used_model_is_dropped_first_and_the_budget_holds()
    {
        var a = TinyModel(1);
        long size = a.EstimatedBytes;
        Assert.True(size > 0);
        var cache = Cache(2 * size + size / 2); // room for two
        Assert.Same(a, cache.GetOrAdd(("m", 1), a));
        cache.GetOrAdd(("m", 2), TinyModel(2));
        Assert.True(cache.TryGet(("m", 1), out var hit)); // version 1 is now the most recently used
        Assert.Same(a, hit);

        cache.GetOrAdd(("m", 3), TinyModel(3));
        Assert.Equal([("m", 3), ("m", 1)], cache.Keys);
        Assert.False(cache.TryGet(("m", 2), out _));
        Assert.Equal(2 * size, cache.Bytes);

        // A second load of a cached key returns the cached instance; nothing is counted twice.
        Assert.Same(a, cache.GetOrAdd(("m", 1), TinyModel(1)));
        Assert.Equal(2 * size, cache.Bytes);

        cache.Remove(("m", 3));
        Assert.Equal([("m", 1)], cache.Keys);
        Assert.Equal(size, cache.Bytes);
    }

    [Fact]
    public void A_model_larger_than_the_budget_is_served_but_not_kept()
    {
        var model = TinyModel(1);
        var cache = Cache(model.EstimatedBytes - 1);
        Assert.Same(model, cache.GetOrAdd(("m", 1), model));
        Assert.Empty(cache.Keys);
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void A_forecasting_model_holds_no_gradients_and_its_estimate_counts_them_once_they_exist()
    {
        var model = TinyModel(1);
        long inference = model.EstimatedBytes;
        model.Forecast([Enumerable.Range(0, 12).Select(i => (float)Math.Sin(i)).ToArray()]);
        Assert.False(model.Network.HasGradients);
        Assert.Equal(inference, model.EstimatedBytes);
        _ = model.Network.Gradients;
        Assert.Equal(inference + model.Network.Parameters.Length * sizeof(float), model.EstimatedBytes);
    }

    private static object Body => new { series = new[] { new { history = Api.Sine(24) } } };

    private static async Task<ForecastResponse> ForecastAsync(HttpClient client, string model)
    {
        var response = await client.PostJsonAsync($"/models/{model}/forecast", Body);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ForecastResponse>();
    }

    private static void AssertSame(ForecastResponse expected, ForecastResponse actual)
    {
        Assert.Equal(expected.Forecasts[0].Mean, actual.Forecasts[0].Mean);
        foreach (var (level, band) in expected.Forecasts[0].Quantiles) Assert.Equal(band, actual.Forecasts[0].Quantiles[level]);
    }

    [Fact]
    public async Task In_the_service_a_dropped_model_is_loaded_again_and_forecasts_bit_for_bit_the_same()
    {
        ForecastResponse firstA, firstB;
        long sizeA, sizeB;
        await using (var factory = new LstmServiceFactory(_directory))
        {
            var client = factory.CreateClient();
            await client.TrainAsync("a", Api.TinyTraining(seed: 1));
            await client.TrainAsync("b", Api.TinyTraining(seed: 2));
            firstA = await ForecastAsync(client, "a");
            firstB = await ForecastAsync(client, "b");
            var cache = factory.Services.GetRequiredService<ModelCache>();
            Assert.True(cache.TryGet(("a", 1), out var a));
            Assert.True(cache.TryGet(("b", 1), out var b));
            // Cached models are the ones loaded from their weights: no gradient buffer.
            Assert.False(Assert.IsType<ForecastModel>(a).Network.HasGradients);
            Assert.False(Assert.IsType<ForecastModel>(b).Network.HasGradients);
            (sizeA, sizeB) = (a.EstimatedBytes, b.EstimatedBytes);
        }

        // A budget with room for either model but not for both.
        long budget = Math.Max(sizeA, sizeB) + Math.Min(sizeA, sizeB) / 2;
        await using (var factory = new LstmServiceFactory(_directory, new Dictionary<string, string?> { ["ModelCache:MaxBytes"] = budget.ToString() }))
        {
            var client = factory.CreateClient();
            var cache = factory.Services.GetRequiredService<ModelCache>();
            AssertSame(firstA, await ForecastAsync(client, "a"));
            Assert.Equal([("a", 1)], cache.Keys);
            AssertSame(firstB, await ForecastAsync(client, "b"));
            Assert.Equal([("b", 1)], cache.Keys); // a was dropped
            Assert.InRange(cache.Bytes, 1, budget);
            AssertSame(firstA, await ForecastAsync(client, "a")); // loaded again
            Assert.Equal([("a", 1)], cache.Keys);
        }
    }

    [Fact]
    public async Task A_negative_budget_stops_the_service_at_start()
    {
        var error = await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { ["ModelCache:MaxBytes"] = "-1" });
        Assert.Contains("ModelCache:MaxBytes must be", error.ToString());
    }
}
