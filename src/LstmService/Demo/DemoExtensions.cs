namespace LstmService.Demo;

public static class DemoExtensions
{
    /// <summary>
    /// Hosted services start in registration order: call this after AddModelRegistry (the registry is open) and before
    /// AddTrainingQueue (the workers scan the persisted queue), so a demo job queued on first start is picked up like any other.
    /// </summary>
    public static WebApplicationBuilder AddDemoModel(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DemoModelSeeder>();
        return builder;
    }
}
