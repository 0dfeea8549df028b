using System.Globalization;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// A target driven by two covariates it cannot be forecast without: y[t] = 10 + 4 lead[t-1] + 3 plan[t], where lead and plan are
/// noise. "lead" leads the target by one step (its history is enough for a one-step forecast); "plan" is known in advance
/// (a forecast supplies its next value). The fixture trains one model on the first <see cref="Train"/> points.
/// </summary>
public sealed class CovariateFixture : ServiceFixture
{
    public const int Train = 400, Test = 40;

    public static readonly double[] Lead = Noise(Train + Test, 11);
    public static readonly double[] Plan = Noise(Train + Test, 23);
    public static readonly double[] Target = Enumerable.Range(0, Train + Test).Select(t => 10 + 4 * (t > 0 ? Lead[t - 1] : 0) + 3 * Plan[t]).ToArray();

    public TrainingJobResponse Job { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Job = await Client.TrainAsync("driven", new
        {
            series = new[]
            {
                new { id = "y", values = Target[..Train], covariates = new Dictionary<string, double[]> { ["lead"] = Lead[..Train], ["plan"] = Plan[..Train] } },
            },
            futureCovariates = new[] { "plan" },
            inputWindow = 8,
            horizon = 1,
            hiddenSize = 16,
            ensemble = 1,
            epochs = 60,
            scaling = "seriesZScore",
            seed = 3,
        });
    }

    /// <summary>Deterministic uniform noise in [-1, 1].</summary>
    public static double[] Noise(int count, uint seed)
    {
        var x = seed;
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            x = x * 1664525u + 1013904223u;
            values[i] = (x >> 8) / (double)(1 << 24) * 2 - 1;
        }
        return values;
    }

    /// <summary>The forecast request for origin <paramref name="t"/>: everything before t, and plan's value at t.</summary>
    public static object Series(int t, double leadShift = 0, double planShift = 0)
    {
        var lead = Lead[..t];
        lead[^1] += leadShift;
        return new
        {
            id = t.ToString(CultureInfo.InvariantCulture),
            history = Target[..t],
            covariates = new Dictionary<string, double[]> { ["lead"] = lead, ["plan"] = Plan[..t] },
            futureCovariates = new Dictionary<string, double[]> { ["plan"] = [Plan[t] + planShift] },
        };
    }
}
