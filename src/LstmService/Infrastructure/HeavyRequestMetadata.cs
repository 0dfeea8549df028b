namespace LstmService.Infrastructure;

/// <summary>
/// Marks an endpoint whose requests <see cref="HeavyRequestLimiter"/> counts: every request when <paramref name="Always"/>,
/// otherwise only those with a body over <see cref="HeavyRequestOptions.ForecastBodyBytes"/> (a small forecast never waits
/// behind a large one) or, when <paramref name="When"/> is given, those it picks (a weights download in torch's format,
/// which builds the whole answer in memory), counted as a large body is.
/// </summary>
public sealed record HeavyRequestMetadata(bool Always, Func<HttpRequest, bool>? When = null);
