namespace LstmService.Health;

/// <summary>
/// The probes' response examples in the OpenAPI document, as the service answered them (2026-12-07, two cores with AVX2):
/// each check's status and description. <c>OpenApiAnswerTests</c> checks they have the shape of its answers.
/// </summary>
internal static class HealthExamples
{
    /// <summary>GET /health/live: the process and the kernel path the CPU gave.</summary>
    public const string Live = """
        {
          "status": "Healthy",
          "checks": {
            "process": {"status": "Healthy", "description": "The process answers."},
            "kernels": {"status": "Healthy", "description": "Kernel path vector256+fma, 2 kernel threads."}
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
