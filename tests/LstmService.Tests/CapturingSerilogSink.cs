using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace LstmService.Tests;

/// <summary>Keeps every Serilog event, for tests that assert the request log's events and their properties.</summary>
public sealed class CapturingSerilogSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyCollection<LogEvent> Events => _events;

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
