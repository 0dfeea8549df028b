using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

public static class ServiceOptionsExtensions
{
    /// <summary>Binds every options class from its configuration section, validated on start so a bad setting stops the process early.</summary>
    public static WebApplicationBuilder AddServiceOptions(this WebApplicationBuilder builder)
    {
        Bind<StorageOptions>(builder, StorageOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        Bind<TrainingQueueOptions>(builder, TrainingQueueOptions.Section);
        Bind<ForecastOptions>(builder, ForecastOptions.Section);
        Bind<RequestLimitsOptions>(builder, RequestLimitsOptions.Section);
        Bind<HeavyRequestOptions>(builder, HeavyRequestOptions.Section);
        Bind<ModelCacheOptions>(builder, ModelCacheOptions.Section);
        Bind<DemoOptions>(builder, DemoOptions.Section);
        Bind<ShutdownOptions>(builder, ShutdownOptions.Section);
        // Shutdown:TimeoutSeconds decides the host's shutdown timeout (it wins over DOTNET_SHUTDOWNTIMEOUTSECONDS).
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.TimeoutSeconds));
        return builder;
    }

    private static void Bind<T>(WebApplicationBuilder builder, string section) where T : class => builder.Services.AddValidatedOptions<T>(section);

    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/>, its data annotations checked at start with messages
    /// that name the configuration path (<see cref="ConfigurationPathValidator{T}"/>).
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new ConfigurationPathValidator<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }
}
