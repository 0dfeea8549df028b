namespace LstmService.Infrastructure;

/// <summary>
/// Marks a string setting that is a choice of words, never a secret, so a refusal quotes the value read
/// (<see cref="ConfigurationPathValidator{T}"/>): "Logs:Format must be 'text' or 'json' (it is 'jsn')." had said only the first half.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EchoedSettingAttribute : Attribute;
