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
        Bind<TrustedProxyOptions>(builder, TrustedProxyOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<TrustedProxyOptions>, TrustedProxyOptionsValidator>();
        Bind<ShutdownOptions>(builder, ShutdownOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>();
        builder.Services.AddSingleton<ShutdownDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        // Shutdown:TimeoutSeconds decides the host's shutdown timeout (it wins over DOTNET_SHUTDOWNTIMEOUTSECONDS).
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            {
                if (shutdown.ValidOrNull() is { } valid) host.ShutdownTimeout = TimeSpan.FromSeconds(valid.TimeoutSeconds);
            });
        return builder;
    }

    private static void Bind<T>(WebApplicationBuilder builder, string section) where T : class => builder.Services.AddValidatedOptions<T>(section);

    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/>, its data annotations checked at start with messages
    /// that name the configuration path (<see cref="ConfigurationPathValidator{T}"/>), and its keys against its settings.
    /// A value not of its setting's type is one more failure there (<see cref="ConfigurationSectionBinder"/>), so it no
    /// longer hides the other settings' errors.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new ConfigurationPathValidator<T>(section));
        services.AddConfigurationKeyCheck<T>(section);
        return services.AddOptions<T>()
            .Configure<IConfiguration>((options, configuration) => ConfigurationSectionBinder.Bind(configuration.GetSection(section), options))
            .ValidateOnStart();
    }

    /// <summary>Refuses the start over a key under <paramref name="section"/> that <typeparamref name="T"/> has no setting for (<see cref="ConfigurationKeyValidator{T}"/>).</summary>
    public static IServiceCollection AddConfigurationKeyCheck<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(sp => new ConfigurationKeyValidator<T>(section, sp.GetRequiredService<IConfiguration>()));
        return services;
    }

    /// <summary>
    /// The options' value, or null when it is invalid: options that configure the host itself (its shutdown timeout,
    /// Kestrel's limits) are read while the host is built, before ValidateOnStart can refuse them in one line naming the
    /// setting; there a bad value leaves the default so the host gets built and then refuses to start.
    /// </summary>
    public static T? ValidOrNull<T>(this IOptions<T> options) where T : class
    {
        try { return options.Value; }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException) { return null; }
    }
}
