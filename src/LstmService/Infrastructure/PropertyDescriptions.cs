namespace LstmService.Infrastructure;

/// <summary>
/// What the JSON properties of a type the service does not declare mean (the forecasting library's stream state,
/// ProblemDetails, SseItem): the OpenAPI generator reads XML comments of the service's own types only. A service
/// (<see cref="ApiDocumentation.AddPropertyDescriptions{T}"/>); applies to <paramref name="Type"/> and the types derived from it.
/// <paramref name="Description"/>, what the type itself is (<see cref="ApiDocumentation.AddSchemaDescription{T}"/>), goes on its own schema only.
/// </summary>
public sealed record PropertyDescriptions(Type Type, IReadOnlyDictionary<string, string> Properties, string? Description = null);
