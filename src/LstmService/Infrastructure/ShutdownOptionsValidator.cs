using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Refuses a drain as long as the shutdown timeout or longer: the drain is counted within the time the host may take to
/// stop, so nothing would be left for requests and jobs to finish. Both values are echoed, since either may be the mistake.
/// </summary>
public sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options) =>
        // A setting that could not be read is named already; its default is no value of the operator's to compare.
        options.DrainSeconds == 0 || options.DrainSeconds < options.TimeoutSeconds || ConfigurationSectionBinder.FailuresOf(options).Count > 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{ShutdownOptions.Section}:{nameof(ShutdownOptions.DrainSeconds)} must be below {ShutdownOptions.Section}:{nameof(ShutdownOptions.TimeoutSeconds)}: " +
                $"the drain is part of the time the host may take to stop (it is {options.DrainSeconds}; {ShutdownOptions.Section}:{nameof(ShutdownOptions.TimeoutSeconds)} is {options.TimeoutSeconds}).");
}
