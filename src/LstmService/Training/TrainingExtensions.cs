namespace LstmService.Training;

public static class TrainingExtensions
{
    public static WebApplicationBuilder AddTrainingQueue(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ITrainer, KernelTrainer>();
        builder.Services.AddSingleton<TrainingJobStore>();
        builder.Services.AddSingleton<TrainingQueue>();
        // One instance serves as the hosted service and as the readiness probe's view of the workers.
        builder.Services.AddSingleton<TrainingWorkerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TrainingWorkerService>());
        return builder;
    }
}
