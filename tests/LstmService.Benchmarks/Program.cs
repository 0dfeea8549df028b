// Throughput benchmark of the LSTM and GRU kernels on the workloads of the PyTorch peer (peers/torch_lstm_bench.py; the
// gru- workloads are the same shapes with a GRU cell).
// Usage: dotnet run -c Release --project tests/LstmService.Benchmarks -- [--seconds N] [--threads N] [workload ...]
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- accuracy --data DIR [sunspots|co2] [--seeds 42,7,123]
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- suite --data DIR [--cell gru|lstm] [--seed N] [--markdown] [series ...]   (accuracy against R)
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- covariates [--data DIR] [--seed N]   (what covariates add, CovariateSuite/)
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- kernels [--seconds N]   (single-kernel timings)
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- service [--seconds N] [--no-wrk]   (the HTTP hot path, issue 11)
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- hardening [--validation-fraction F]   (peak RSS, issue 16)
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- streams [--seconds N] [--lengths 1000,10000,100000]   (one streamed value vs a one-off forecast, issue 14)
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- shifts [--reps N] [--shift S] [--after 0,7,14,21] [flat|walk ...]   (forecasts after a change of level)
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- gaps [--reps N] [--horizon H] [--gaps 0,4,8,16,32] [rw|ar|season|weekly ...]   (forecasts after a trailing gap)
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- inner-gaps [--reps N] [--missing 0,0.1,0.2,0.35] [daily|monthly ...]   (intervals of series missing values inside)
//        dotnet run -c Release --project tests/LstmService.Benchmarks -- long-seasons [--reps N] [hourly|daily ...]   (intervals of a season theta alone carries)
// Prints one tab-separated line per workload in the peer's format; ms/step is the MEDIAN step time
// (the peer reports the mean), seq/s = B / median, GFLOP/s counts GEMM flops like the peer.
using System.Diagnostics;
using System.Globalization;
using LstmService.Benchmarks;
using LstmService.Kernels;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "accuracy") return AccuracyBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "suite") return SuiteBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "covariates") return CovariateSuiteBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "kernels") return KernelMicrobenchmarks.Run(args[1..]);
if (args.Length > 0 && args[0] == "service") return ServiceBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "hardening") return HardeningBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "streams") return StreamBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "gaps") return TrailingGapBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "shifts") return LevelShiftBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "inner-gaps") return InnerGapBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "long-seasons") return LongSeasonBenchmark.Run(args[1..]);

double seconds = 3;
int maxThreads = int.MaxValue;
var selected = new List<Workload>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds" when i + 1 < args.Length && double.TryParse(args[i + 1], out var s) && s > 0:
            seconds = s; i++; break;
        case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out var t) && t > 0:
            maxThreads = t; i++; break;
        default:
            var w = Array.Find(Workload.All, w => w.Name == args[i]);
            if (w is null)
            {
                Console.Error.WriteLine($"Unknown workload or bad option '{args[i]}'.");
                Console.Error.WriteLine($"Valid workloads: {string.Join(", ", Workload.All.Select(w => w.Name))}");
                Console.Error.WriteLine("Options: --seconds N (default 3), --threads N (1 forces single-threaded).");
                return 2;
            }
            selected.Add(w);
            break;
    }
}
if (selected.Count == 0) selected.AddRange(Workload.All);

int threads = Math.Min(WorkerTeam.Shared.Size, maxThreads);
Console.WriteLine($"# lstmservice kernels path={KernelInfo.ActivePath} threads={threads}");
foreach (var w in selected)
{
    double median = Timing.MedianStepSeconds(w.CreateStep(maxThreads), seconds);
    Console.WriteLine($"{w.Name}\t{w.Shape}\t{median * 1e3:F3} ms/step\t{w.B / median:F0} seq/s\t{w.Flops / median / 1e9:F2} GFLOP/s");
}
return 0;
