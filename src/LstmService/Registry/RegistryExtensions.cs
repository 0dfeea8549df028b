using static LstmService.Registry.RegistryDatabase;

namespace LstmService.Registry;

public static class RegistryExtensions
{
    public static WebApplicationBuilder AddModelRegistry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RegistryDatabase>();
        builder.Services.AddSingleton<WeightsStore>();
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddHostedService<RegistryInitializer>();
        return builder;
    }
}
