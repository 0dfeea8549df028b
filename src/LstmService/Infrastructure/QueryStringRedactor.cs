using Serilog.Core;
using Serilog.Events;

namespace LstmService.Infrastructure;

/// <summary>
/// Masks credentials in the framework's own request events (ASP.NET Core's "Request starting ... {QueryString}" and
/// "Request finished", written once an operator raises Microsoft.AspNetCore to Information) as the service's request line
/// does (<see cref="LoggedQuery"/>): they had logged <c>?api_key=...&amp;token=...</c> as sent.
/// </summary>
public sealed class QueryStringRedactor : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.TryGetValue("QueryString", out var value) && value is ScalarValue { Value: string query } && query.Length > 0)
        {
            var redacted = LoggedQuery.Redact(query);
            if (!ReferenceEquals(redacted, query)) logEvent.AddOrUpdateProperty(new LogEventProperty("QueryString", new ScalarValue(redacted)));
        }
    }
}
