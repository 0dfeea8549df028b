namespace LstmService.Infrastructure;

/// <summary>Rejects a route's {name} or {alias} that isn't a safe name with a 400 naming the parameter.</summary>
public sealed class RouteNameFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = new ValidationErrors();
        foreach (var key in (ReadOnlySpan<string>)["name", "alias"])
        {
            if (context.HttpContext.Request.RouteValues.TryGetValue(key, out var value) && !Names.IsValid(value as string))
                errors.Add(key, Names.Rule);
        }
        return errors.IsValid ? next(context) : ValueTask.FromResult<object?>(TypedResults.ValidationProblem(errors.ToDictionary()));
    }
}
