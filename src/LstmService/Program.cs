using LstmService.Classification;
using LstmService.Dashboard;
using LstmService.Demo;
using LstmService.Drift;
using LstmService.Forecasts;
using LstmService.Health;
using LstmService.InferenceV2;
using LstmService.Infrastructure;
using LstmService.Models;
using LstmService.Registry;
using LstmService.Streams;
using LstmService.Training;

var builder = ServiceRunExtensions.CreateServiceBuilder(args);

builder.AddSerilogLogging();
builder.AddServiceOptions();
builder.AddServiceMetrics();
builder.AddApiDefaults();
builder.AddApiDocumentation();
builder.AddApiKeys();
builder.AddRateLimits();
builder.AddModelRegistry();
builder.AddDemoModel();
builder.AddTrainingQueue();
builder.AddServiceHealthChecks();
builder.AddForecasts();
builder.AddStreams();
builder.AddDrift();

var app = builder.BuildService();

app.UseApiDefaults();
app.UseServiceMetrics();
app.UseRequestGuards();
app.MapApiDocumentation();
app.UseApiKeys();
app.UseRateLimits();
app.UseHeavyRequestLimit();
app.UseRequestChecks();
app.MapHealthEndpoints();
app.MapServiceMetrics();
app.MapDashboardEndpoints();
app.MapModelEndpoints();
app.MapTrainingEndpoints();
app.MapForecastEndpoints();
app.MapInferenceV2Endpoints();
app.MapClassificationEndpoints();
app.MapStreamEndpoints();
app.MapHeadRequests();

return app.RunService();

/// <summary>Entry point; public so tests can host the service with WebApplicationFactory.</summary>
public partial class Program;
