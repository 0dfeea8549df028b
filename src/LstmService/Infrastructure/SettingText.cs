namespace LstmService.Infrastructure;

/// <summary>A setting's value as an error message quotes it.</summary>
public static class SettingText
{
    /// <summary><paramref name="value"/> with its control characters written as escapes (\r, \n, \t, \u0000), so a stray one shows in a log line.</summary>
    public static string Escaped(string value) => string.Concat(value.Select(c => c switch
    {
        '\r' => "\\r", '\n' => "\\n", '\t' => "\\t",
        _ when char.IsControl(c) => $"\\u{(int)c:x4}",
        _ => c.ToString(),
    }));
}
