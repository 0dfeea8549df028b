using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Streaming;
using LstmService.Forecasting.Training;

namespace LstmService.Benchmarks;

/// <summary>
/// The cost of one streamed value (append it to the series' state and forecast from it) against a one-off forecast of the
/// same series from its whole history, for long histories: the stream's cost should not grow with the history, the one-off's
/// does (gap filling, scaling and the classical members read all of it). Also the state's JSON size and round trip, which a
/// stream stores with every append. Usage: streams [--seconds N] [--lengths 1000,10000,100000]
/// </summary>
static class StreamBenchmark
{
    public static int Run(string[] args)
    {
        double seconds = 2;
        int[] lengths = [1_000, 10_000, 100_000];
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Length && double.TryParse(args[i + 1], out var s) && s > 0) { seconds = s; i++; }
            else if (args[i] == "--lengths" && i + 1 < args.Length) { lengths = args[i + 1].Split(',').Select(int.Parse).ToArray(); i++; }
            else { Console.Error.WriteLine($"Unknown option '{args[i]}'. Options: --seconds N, --lengths A,B,C"); return 2; }
        }
        // A model as the service trains it by default (classical members, highway, season 12), sized like a small production one.
        var series = Series(lengths.Max() + 1, seed: 1);
        var options = new TrainingOptions { InputWindow = 48, Horizon = 12, HiddenSize = 32, Epochs = 3, Ensemble = 1, Seed = 5 };
        var clock = Stopwatch.StartNew();
        var model = ForecastTrainer.Train([series[..2000]], options).Model;
        Console.WriteLine($"# streams benchmark: window {model.InputWindow}, horizon {model.Horizon}, hidden {model.Network.Config.HiddenSize}, " +
            $"transform {model.Transform}, statistics {(model.Statistics is null ? "no" : "yes")}, trained in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"the members' initial states read the first {(model.Statistics is null ? 0 : StatisticalState.HeadLength(model.Statistics))} values");
        Console.WriteLine("history\tone-off forecast ms\tappend+forecast ms (with a state copy)\tratio\tstate JSON bytes\tstate JSON round trip ms");
        var json = new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        foreach (int length in lengths)
        {
            var history = series[..length];
            double oneOff = Timing.MedianStepSeconds(() => model.Forecast([history]), seconds);
            var state = model.NewState();
            foreach (var v in history) model.Append(state, v);
            // Each step appends to a copy of the state at this length (the copy is part of the cost): the history stays as long.
            double streamed = Timing.MedianStepSeconds(() =>
            {
                var copy = state.Clone();
                model.Append(copy, series[length]);
                model.Forecast(copy);
            }, seconds);
            string text = JsonSerializer.Serialize(state, json);
            double roundTrip = Timing.MedianStepSeconds(() => JsonSerializer.Deserialize<SeriesState>(JsonSerializer.Serialize(state, json), json), seconds);
            Console.WriteLine($"{length}\t{oneOff * 1e3:F3}\t{streamed * 1e3:F3}\t{oneOff / streamed:F1}x\t{text.Length}\t{roundTrip * 1e3:F3}");
        }
        return 0;
    }

    /// <summary>A positive series with a season of 12, a slow trend and noise.</summary>
    static float[] Series(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(t => (float)((100 + 0.001 * t) * (1 + 0.2 * Math.Sin(2 * Math.PI * t / 12)) + 3 * random.NextDouble())).ToArray();
    }
}
