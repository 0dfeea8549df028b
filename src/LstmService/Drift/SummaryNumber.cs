using System.Globalization;

namespace LstmService.Drift;

/// <summary>
/// A number in a sentence for people (a drift decision's summary): four significant digits, and where that needs an
/// exponent, the dashboard's form (<c>2.553e+7</c>) rather than .NET's <c>G4</c> form (<c>2.553E+07</c>), so the summary and the
/// chart beside it read alike.
/// </summary>
public static class SummaryNumber
{
    /// <summary>"none" for a figure nothing was measured for (an MAE over no compared values).</summary>
    public static string Of(double? value) => value is { } v ? Of(v) : "none";

    /// <summary>Four significant digits; an exponent, where G4 writes one, as e+7 or e-5.</summary>
    public static string Of(double value)
    {
        var text = value.ToString("G4", CultureInfo.InvariantCulture);
        int e = text.IndexOf('E');
        if (e < 0) return text;
        // "E+07" -> "e+7": the exponent's sign kept, its leading zeros dropped.
        var exponent = text[(e + 2)..].TrimStart('0');
        return $"{text[..e]}e{text[e + 1]}{(exponent.Length == 0 ? "0" : exponent)}";
    }
}
