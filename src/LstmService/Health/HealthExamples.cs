namespace LstmService.Health;

/// <summary>
/// The probes' response examples in the OpenAPI document, as the service answered them (2026-12-07, two cores with AVX2):
/// each check's status and description. <c>OpenApiAnswerTests</c> checks they have the shape of its answers.
/// </summary>
internal static class HealthExamples
{
    /// <summary>GET /health/live: the process, the kernel path the CPU gave and the data directory (unhealthy once replaced under the process).</summary>
    public const string Live = """
        {
          "status": "Healthy",
          "checks": {
            "process": {"status": "Healthy", "description": "The process answers."},
            "kernels": {"status": "Healthy", "description": "Kernel path vector256+fma, 2 kernel threads."},
            "data-directory": {"status": "Healthy", "description": "The data directory is the one this process opened."}
          }
        }
        """;

    /// <summary>GET /health/ready: the registry, the training workers and the shutdown drain.</summary>
    public const string Ready = """
        {
          "status": "Healthy",
          "checks": {
            "registry": {"status": "Healthy", "description": "Registry open."},
            "training-workers": {"status": "Healthy", "description": "Training workers running."},
            "shutdown": {"status": "Healthy", "description": "Not stopping."}
          }
        }
        """;
}
