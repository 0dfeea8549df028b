using System.Net;
using System.Text;
using LstmService.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>A 404 for a mistyped model name says which name the registry holds that the caller may have meant.</summary>
public sealed class NearestModelNameTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private ModelRegistry Registry()
    {
        var registry = fixture.Factory.Services.GetRequiredService<ModelRegistry>();
        foreach (var name in new[] { "sunspots", "sales-eu", "sales-us", "co2" }) registry.EnsureModel(name);
        return registry;
    }

    [Theory]
    [InlineData("sunspot", "sunspots")]    // a letter left out
    [InlineData("sunpsots", "sunspots")]   // two neighbours swapped
    [InlineData("Sunspots", "sunspots")]   // another case
    [InlineData("sales-eus", "sales-eu")]  // as close to sales-us: the first in ordinal order
    [InlineData("co3", "co2")]
    [InlineData("c2", "co2")]
    public void A_name_a_letter_or_a_swap_away_is_suggested(string typed, string meant) =>
        Assert.Equal(meant, Registry().NearestModelName(typed));

    [Theory]
    [InlineData("ghost")]
    [InlineData("sun")]          // five letters short of 'sunspots'
    [InlineData("sunspots-2024")]
    [InlineData("xo3")]          // two letters off a name of three: too far for so short a name
    [InlineData("sales eu")]     // no valid name: nothing is read
    [InlineData("")]
    public void A_name_near_none_suggests_nothing(string typed) => Assert.Null(Registry().NearestModelName(typed));

    [Theory]
    [InlineData("GET", "/models/sunspot")]
    [InlineData("GET", "/models/sunspot/versions/1")]
    [InlineData("DELETE", "/models/sunspot")]
    [InlineData("DELETE", "/models/sunspot/aliases/live")]
    [InlineData("GET", "/models/sunspot/versions/1/weights")]
    [InlineData("POST", "/models/sunspot/forecast")]
    public async Task The_404_of_a_mistyped_name_asks_whether_the_nearest_was_meant(string method, string path)
    {
        Registry();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = new StringContent("""{"series":[{"history":[1,2,3,4]}]}""", Encoding.UTF8, "application/json");
        var problem = await (await fixture.Client.SendAsync(request)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Model not found", problem.GetProperty("title").GetString());
        Assert.Equal("There is no model 'sunspot'. Did you mean 'sunspots'?", problem.GetProperty("detail").GetString());
        Assert.NotNull(Registry().GetModel("sunspots")); // the suggestion is a read: nothing created, nothing deleted
        Assert.Null(Registry().GetModel("sunspot"));
    }

    [Fact]
    public async Task The_404_of_a_name_near_none_says_only_that_there_is_none()
    {
        Registry();
        var problem = await (await fixture.Client.GetAsync("/models/ghost")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("There is no model 'ghost'.", problem.GetProperty("detail").GetString());
    }
}
