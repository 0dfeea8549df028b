using LstmService.Infrastructure;
using LstmService.Registry;
using LstmService.Training;

namespace LstmService.Drift;

/// <summary>Drift and champion/challenger: the rule streams run after each append, the review trained challengers get, their options.</summary>
public static class DriftExtensions
{
    public static WebApplicationBuilder AddDrift(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DriftOptions>(DriftOptions.Section);
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DriftOptions>, DriftOptionsValidator>();
        builder.Services.AddSingleton<VersionEventStore>();
        builder.Services.AddSingleton<IDefaultVersionFilter, UnprovenChallengers>();
        builder.Services.AddSingleton<DriftMonitor>();
        builder.Services.AddSingleton<ITrainedVersionObserver, ChallengerReview>();
        return builder;
    }
}
