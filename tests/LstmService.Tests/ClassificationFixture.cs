using LstmService.TestSupport;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// One service with a classifier trained through the API on labelled windows of a real series (Nottingham's monthly
/// temperatures, tests/Shared/Data/nottem.csv: the quarter of each window's last month, windows ending 1920-1935) and a tiny forecaster.
/// </summary>
public sealed class ClassificationFixture : ServiceFixture
{
    public const string Classifier = "quarters", Forecaster = "sine";

    public TrainingJobResponse Job { get; private set; } = null!;

    internal static object Request(IEnumerable<NottemWindows.Window> windows, int epochs = 60) => new
    {
        task = "classification",
        series = windows.Select(w => new { id = $"{w.Year}-{w.Month:00}", values = w.Values, label = w.Label }).ToArray(),
        hiddenSize = 16,
        epochs,
        batchSize = 16,
        learningRate = 0.02,
        patience = 15,
        seed = 7,
    };

    /// <summary>A small classifier's request: 40 sequences labelled "common" and one "rare", too few to hold one out.</summary>
    internal static object RareClassRequest() => new
    {
        task = "classification",
        series = Enumerable.Range(0, 41).Select(i => new
        {
            id = $"s{i}",
            values = Enumerable.Range(0, 8).Select(t => (float)Math.Sin(t + i)).ToArray(),
            label = i == 40 ? "rare" : "common",
        }).ToArray(),
        hiddenSize = 4,
        epochs = 2,
        seed = 7,
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Job = await Client.TrainAsync(Classifier, Request(NottemWindows.Before1936));
        await Client.TrainAsync(Forecaster);
    }
}
