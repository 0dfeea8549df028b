using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LstmService.Tests;

/// <summary>Keeps every message at <paramref name="minimum"/> (Warning by default) or above, for tests that assert what the service logs.</summary>
public sealed class CapturingLoggerProvider(LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public ILogger CreateLogger(string categoryName) => new Logger(_messages, minimum);

    public void Dispose() { }

    private sealed class Logger(ConcurrentQueue<string> messages, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) messages.Enqueue(formatter(state, exception));
        }
    }
}
