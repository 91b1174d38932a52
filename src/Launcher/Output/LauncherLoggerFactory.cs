using Microsoft.Extensions.Logging;

namespace Collectives.Launcher.Output;

/// <summary>
/// Sends the rendezvous server's warnings (refused connections, bad requests) to collrun's
/// standard error, so a stray or hostile client is visible to whoever runs the job.
/// </summary>
internal sealed class LauncherLoggerFactory(PrefixedOutput output, LogLevel minimumLevel) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, minimumLevel);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("collrun logs to its standard error only.");

    public void Dispose()
    {
    }

    private sealed class Logger(PrefixedOutput output, LogLevel minimumLevel) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                output.Message(formatter(state, exception));
            }
        }
    }
}
