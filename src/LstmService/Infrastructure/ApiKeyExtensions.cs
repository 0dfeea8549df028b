using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>API keys: authentication from Auth:ApiKeys and the <see cref="ApiRoles"/> policies endpoints require.</summary>
public static class ApiKeyExtensions
{
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        builder.Services.AddConfigurationKeyCheck<AuthOptions>(AuthOptions.Section);
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        WithoutStoredDataProtectionKeys(builder.Services);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiRoles.Read, p => p.RequireRole(ApiRoles.Read))
            .AddPolicy(ApiRoles.Write, p => p.RequireRole(ApiRoles.Write))
            // An endpoint that declares nothing still needs a key: forgetting a declaration must not open an endpoint. A path
            // no endpoint serves (a mistyped /dashbord, /favicon.ico) answers 404, not 401 "API key required": it opens
            // nothing, and the key had seemed to be what was missing.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAssertion(c => c.Resource is HttpContext { } http && http.GetEndpoint() is null || c.User.IsInRole(ApiRoles.Read)).Build());
        return builder;
    }

    /// <summary>
    /// AddAuthentication brings ASP.NET Core's data protection, which nothing here uses (API keys; no cookies, no antiforgery
    /// tokens). Its key ring was loaded at every start: as root it wrote a key file under $HOME or the application's folder,
    /// and with no writable home (Kubernetes' read-only root) it logged three warnings that keys "will not be persisted".
    /// An in-memory provider replaces it, and the start no longer loads the ring.
    /// </summary>
    internal static void WithoutStoredDataProtectionKeys(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider,
            Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider>());
        for (int i = services.Count - 1; i >= 0; i--)
            if (services[i].ServiceType == typeof(IHostedService)
                && services[i].ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService")
                services.RemoveAt(i);
    }

    /// <summary>Cross-site refusal, authentication and authorisation; after Swagger UI's static files (which need no key) and before the rate limiter (which partitions by key).</summary>
    public static WebApplication UseApiKeys(this WebApplication app)
    {
        // Once started: reading the keys here, before the start validates them, would throw a bad key's error outside RunService.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (!app.Services.GetRequiredService<ApiKeyStore>().Enabled)
                app.Logger.LogWarning("No API key is configured (Auth:ApiKeys): the service is open, anyone who reaches it may train, register and delete models");
        });
        // Cross-site form posts are refused first: with keys or without, a browser page of another site changes nothing.
        app.UseMiddleware<CrossSiteRequestMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The endpoints need a key with the read role (GET endpoints, forecasts).</summary>
    public static TBuilder RequireReadKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ApiRoles.Read);

    /// <summary>The endpoints need a key with the write role (training, registering, aliases, cancels, deletes).</summary>
    public static TBuilder RequireWriteKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ApiRoles.Write);
}
