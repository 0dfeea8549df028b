namespace LstmService.Infrastructure;

/// <summary>
/// Rejects a route's {name} or {alias}, or a query's ?alias, that isn't a safe name with a 400 naming the parameter. An empty
/// or repeated ?alias had been looked up as the alias '' or 'x,y' and answered 404.
/// </summary>
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
        if (context.HttpContext.Request.Query.TryGetValue("alias", out var aliases))
        {
            if (aliases.Count > 1) errors.Add("alias", $"Given {aliases.Count} times: give one alias.");
            else if (!Names.IsValid(aliases[0])) errors.Add("alias", Names.Rule);
        }
        return errors.IsValid ? next(context) : ValueTask.FromResult<object?>(TypedResults.ValidationProblem(errors.ToDictionary()));
    }
}
