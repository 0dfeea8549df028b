namespace LstmService.Infrastructure;

/// <summary>
/// Marks an endpoint whose requests <see cref="HeavyRequestLimiter"/> counts: every request when <paramref name="Always"/>,
/// otherwise only those with a body over <see cref="HeavyRequestOptions.ForecastBodyBytes"/> (a small forecast never waits
/// behind a large one).
/// </summary>
public sealed record HeavyRequestMetadata(bool Always);
