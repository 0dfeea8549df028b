using LstmService.Infrastructure;
using LstmService.Kernels;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LstmService.Health;

/// <summary>One health check's result.</summary>
public sealed record HealthCheckResponse(string Status, string? Description);
