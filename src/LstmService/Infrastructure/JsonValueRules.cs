using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LstmService.Infrastructure;

/// <summary>
/// What a request field of a given .NET type takes, in the API's terms, for the 400 that names a value of the wrong kind:
/// an enum's names as the JSON spells them (camelCase), an unsigned integer type's range. Shared by JSON bodies and form fields so
/// both say the same.
/// </summary>
public static class JsonValueRules
{
    /// <summary>A clause such as "must be one of lstm, gru", or null when the type has no short rule (a float, an object).</summary>
    public static string? Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(bool)) return "must be true or false";
        if (type == typeof(string)) return "must be a JSON string";
        if (type.IsEnum) return "must be one of " + string.Join(", ", EnumNames(type));
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Byte => Unsigned(byte.MaxValue),
            TypeCode.UInt16 => Unsigned(ushort.MaxValue),
            TypeCode.UInt32 => Unsigned(uint.MaxValue),
            TypeCode.UInt64 => Unsigned(ulong.MaxValue),
            TypeCode.SByte => Signed,
            TypeCode.Int16 => Signed,
            TypeCode.Int32 => Signed,
            TypeCode.Int64 => Signed,
            _ => null,
        };
    }

    /// <summary>Whether values of the type carry decimals (the callers add their own advice about NaN or the decimal point).</summary>
    public static bool IsFloat(Type type) =>
        Type.GetTypeCode(Nullable.GetUnderlyingType(type) ?? type) is TypeCode.Single or TypeCode.Double or TypeCode.Decimal;

    /// <summary>The names the service's string-enum converter reads: camelCase unless a member names itself.</summary>
    private static IEnumerable<string> EnumNames(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f =>
            f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(f.Name));

    // "3.0" is read as no whole number (JSON has one number type; the serializer takes integers only as integers), which
    // Python's json.dumps(3.0) writes: the rule says how to write one.
    private static string Unsigned(ulong max) => $"must be a non-negative whole number (0..{max}) written without a decimal point or exponent (3, not 3.0)";

    // Every signed field has a narrower range of its own, checked once the value is read: the type's range (-2147483648..
    // 2147483647 for "horizon": 10.0) had suggested that -5 would do.
    private const string Signed = "must be a whole number written without a decimal point or exponent (3, not 3.0), within the field's range";
}
