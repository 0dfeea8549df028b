namespace LstmService.Benchmarks;

/// <summary>One load run's throughput and latency percentiles.</summary>
internal record struct LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, int Connections)
{
    public readonly string Describe() => $"{RequestsPerSecond:N0} req/s, p50 {P50Ms:F3} ms, p99 {P99Ms:F3} ms";
}
