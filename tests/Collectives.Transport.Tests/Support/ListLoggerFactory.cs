using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.Tests.Support;

/// <summary>Collects every log line (level and formatted message), so tests can check what was logged and why.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IEnumerable<string> Warnings => Entries.Where(entry => entry.Level >= LogLevel.Warning).Select(entry => entry.Message);

    /// <summary>Waits (bounded, 10 s by default) until a message of any level containing <paramref name="text"/> is logged; returns it, or null.</summary>
    public async Task<string?> WaitForAsync(string text, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            string? found = Entries.Select(entry => entry.Message).FirstOrDefault(message => message.Contains(text, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(10);
        }

        return null;
    }

    /// <summary>Waits (briefly) until a warning containing <paramref name="text"/> is logged; returns it, or null.</summary>
    public async Task<string?> WaitForWarningAsync(string text, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            string? found = Warnings.FirstOrDefault(message => message.Contains(text, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(10);
        }

        return null;
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner._entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
