using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.Tests.Rendezvous;

/// <summary>Collects every log message so tests can check that a refusal was logged with its reason.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(_entries);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    /// <summary>Waits (bounded) until a message containing <paramref name="fragment"/> is logged; returns it or null.</summary>
    public async Task<string?> WaitForAsync(string fragment, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            foreach ((LogLevel _, string message) in _entries)
            {
                if (message.Contains(fragment, StringComparison.Ordinal))
                {
                    return message;
                }
            }

            await Task.Delay(20);
        }

        return null;
    }

    private sealed class CapturingLogger(ConcurrentQueue<(LogLevel Level, string Message)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
