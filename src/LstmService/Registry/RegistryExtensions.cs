using LstmService.Infrastructure;
using Microsoft.Extensions.Options;

namespace LstmService.Registry;

public static class RegistryExtensions
{
    /// <summary>The registry on the provider Storage:Provider names: SQLite with weights files (default), or PostgreSQL with everything in it.</summary>
    public static WebApplicationBuilder AddModelRegistry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SqliteRegistryDatabase>();
        builder.Services.AddSingleton<PostgresRegistryDatabase>();
        builder.Services.AddSingleton<IRegistryDatabase>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres
            ? sp.GetRequiredService<PostgresRegistryDatabase>()
            : sp.GetRequiredService<SqliteRegistryDatabase>());
        builder.Services.AddSingleton<FileWeightsStore>();
        builder.Services.AddSingleton<DatabaseWeightsStore>();
        builder.Services.AddSingleton<IWeightsStore>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres
            ? sp.GetRequiredService<DatabaseWeightsStore>()
            : sp.GetRequiredService<FileWeightsStore>());
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddHostedService<RegistryInitializer>();
        builder.Services.AddHostedService<RegistryCacheSync>();
        return builder;
    }
}
