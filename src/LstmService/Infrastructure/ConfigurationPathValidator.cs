using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// The data-annotation checks of an options class, with messages that name each setting by its configuration path
/// (<c>TrainingQueue:Capacity</c>, what an operator writes) rather than the class's property, and give a number's or a
/// switch's value as read. Strings are echoed only where their setting is a choice of words
/// (<see cref="EchoedSettingAttribute"/>): another may hold a secret.
/// </summary>
public sealed class ConfigurationPathValidator<T>(string section) : IValidateOptions<T> where T : class
{
    private static readonly (PropertyInfo Property, ValidationAttribute[] Attributes)[] Checked =
        [.. typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attributes: p.GetCustomAttributes<ValidationAttribute>(inherit: true).ToArray()))
            .Where(p => p.Attributes.Length > 0)];

    public ValidateOptionsResult Validate(string? name, T options)
    {
        // The settings whose values were not of their types come first (ConfigurationSectionBinder).
        var failures = new List<string>(ConfigurationSectionBinder.FailuresOf(options));
        foreach (var (property, attributes) in Checked)
        {
            var value = property.GetValue(options);
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = $"{section}:{property.Name}" };
            foreach (var attribute in attributes)
                if (attribute.GetValidationResult(value, context) is { ErrorMessage: { } message })
                    failures.Add(WithValue(message, value, property.IsDefined(typeof(EchoedSettingAttribute))));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string WithValue(string message, object? value, bool echoed) => value switch
    {
        int or long or float or double or decimal or bool => $"{message.TrimEnd('.')} (it is {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}).",
        string text when echoed => $"{message.TrimEnd('.')} (it is '{SettingText.Escaped(text)}').",
        _ => message,
    };
}
