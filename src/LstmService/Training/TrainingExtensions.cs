using LstmService.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LstmService.Training;

public static class TrainingExtensions
{
    public static WebApplicationBuilder AddTrainingQueue(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ITrainer, KernelTrainer>();
        builder.Services.AddSingleton<IClassificationTrainer, KernelClassificationTrainer>();
        builder.Services.AddSingleton<TrainingJobStore>();
        builder.Services.AddSingleton<TrainingQueue>();
        builder.Services.AddSingleton<EventStreamGate>();
        // One instance serves as the hosted service and as the readiness probe's view of the workers.
        builder.Services.AddSingleton<TrainingWorkerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TrainingWorkerService>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TrainingDataPurgeService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TrainingDataPurgeService>());
        builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", o => o.AddDocumentTransformer(TrainingDocumentation.DescribeCsvFormFieldsAsync));
        builder.Services.AddPropertyDescriptions<System.Net.ServerSentEvents.SseItem<TrainingJobResponse>>(TrainingDocumentation.ProgressEventFields)
            .AddSchemaDescription<System.Net.ServerSentEvents.SseItem<TrainingJobResponse>>("A progress event as .NET holds it; on the wire it is text/event-stream's id, event and data lines (GET /training-jobs/{id}/events).");
        return builder;
    }
}
