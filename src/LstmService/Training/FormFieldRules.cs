using System.Text.Json;
using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>What a CSV form's field of a given type must hold, as its errors say it (<see cref="TrainingUpload"/>).</summary>
internal static class FormFieldRules
{
    public static string Expected(Type type) =>
        JsonValueRules.IsFloat(type) ? "must be a number ('.' as the decimal point)"
        : JsonValueRules.Expected(type) ?? ObjectShape(type) ?? "must be a JSON value of the documented type";

    /// <summary>
    /// The JSON object a field of the record <paramref name="type"/> takes, spelled out (null: no record): "-F initFrom=1" had
    /// been told only "must be a JSON value of the documented type" (a QA pass).
    /// </summary>
    private static string? ObjectShape(Type type)
    {
        if (!type.IsClass || type.IsGenericType || type == typeof(string)) return null;
        var members = type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(p => p.CanWrite)
            .Select(p => $"\"{JsonNamingPolicy.CamelCase.ConvertName(p.Name)}\": {Sample(p.PropertyType)}").ToList();
        return members.Count == 0 ? null : $"must be a JSON object such as {{{string.Join(", ", members)}}}";
    }

    /// <summary>A value of <paramref name="type"/> as an example shows it.</summary>
    private static string Sample(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return JsonValueRules.IsFloat(type) ? "1.5" : TrainingUpload.IsNumber(type) ? "2" : type == typeof(bool) ? "true" : "\"...\"";
    }
}
