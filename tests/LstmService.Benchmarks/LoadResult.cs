namespace LstmService.Benchmarks;

/// <summary>One load run's throughput, latency percentiles and the requests it completed.</summary>
internal record struct LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, int Connections, long Requests)
{
    public readonly string Describe() => $"{RequestsPerSecond:N0} req/s, p50 {P50Ms:F3} ms, p99 {P99Ms:F3} ms";
}
