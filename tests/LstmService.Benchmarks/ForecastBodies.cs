using System.Globalization;
using System.Text;

namespace LstmService.Benchmarks;

/// <summary>Forecast request bodies of seasonal random series, the same data for the service and the hardening benchmarks.</summary>
static class ForecastBodies
{
    /// <summary>
    /// <paramref name="count"/> series (ids s0, s1, ...) of <paramref name="values"/> values each ("dd.ddd", period 12,
    /// noise from seed 7), with <paramref name="horizon"/> when given (else the service's default).
    /// </summary>
    public static byte[] Build(int count, int values, int? horizon)
    {
        var sb = new StringBuilder("{\"series\":[");
        var rng = new Random(7);
        for (int i = 0; i < count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append("{\"id\":\"s").Append(i).Append("\",\"history\":[");
            for (int t = 0; t < values; t++)
            {
                if (t > 0) sb.Append(',');
                sb.Append((50 + 10 * Math.Sin(2 * Math.PI * t / 12) + rng.NextDouble() * 2).ToString("F3", CultureInfo.InvariantCulture));
            }
            sb.Append("]}");
        }
        sb.Append(']');
        if (horizon is { } h) sb.Append(",\"horizon\":").Append(h);
        sb.Append('}');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
