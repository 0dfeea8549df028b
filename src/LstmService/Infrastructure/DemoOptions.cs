namespace LstmService.Infrastructure;

/// <summary>The bundled demo model. Section "Demo".</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>
    /// On a fresh data directory (no models and no jobs at all), queue training of the model "sunspots" from the bundled
    /// SampleData/sunspots_yearly.csv, so a new user can forecast right away. Never runs again on that directory.
    /// </summary>
    public bool TrainSampleOnFirstStart { get; set; } = true;
}
