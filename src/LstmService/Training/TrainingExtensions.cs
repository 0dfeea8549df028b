using LstmService.Demo;

namespace LstmService.Training;

public static class TrainingExtensions
{
    public static WebApplicationBuilder AddTrainingQueue(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ITrainer, KernelTrainer>();
        builder.Services.AddSingleton<TrainingJobStore>();
        builder.Services.AddSingleton<TrainingQueue>();
        // Hosted services start in registration order: after the registry opens (AddModelRegistry) and before the
        // workers scan the persisted queue, so a demo job queued on first start is picked up like any other.
        builder.Services.AddHostedService<DemoModelSeeder>();
        // One instance serves as the hosted service and as the readiness probe's view of the workers.
        builder.Services.AddSingleton<TrainingWorkerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TrainingWorkerService>());
        return builder;
    }
}
