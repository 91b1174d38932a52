using System.Globalization;
using Collectives.Offloading;
using Collectives.Selection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collectives.Execution;

/// <summary>The one place where <see cref="CommunicatorOptions"/> meet the environment variables.</summary>
internal sealed record ResolvedOptions(TimeSpan Timeout, int SegmentSize, bool VerifyCalls, AlgorithmSelector Selector, ILogger Logger, IOffloadEngineFactory? Offload)
{
    public static ResolvedOptions Resolve(CommunicatorOptions? options, Func<string, string?> environment)
    {
        options ??= new CommunicatorOptions();
        TimeSpan timeout = options.Timeout ?? ReadTimeout(environment(CommunicatorOptions.TimeoutVariable)) ?? CommunicatorOptions.DefaultTimeout;
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), timeout, "CommunicatorOptions.Timeout must be positive.");
        }

        if (options.SegmentSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SegmentSize, "CommunicatorOptions.SegmentSize must be at least 1 byte.");
        }

        IReadOnlyList<SelectionRule> overrides = options.Algorithms is { } configured
            ? SelectionTable.Parse(configured, "CommunicatorOptions.Algorithms")
            : environment(CommunicatorOptions.AlgorithmsVariable) is { Length: > 0 } fromEnvironment
                ? SelectionTable.Parse(fromEnvironment, CommunicatorOptions.AlgorithmsVariable)
                : [];

        ILogger logger = options.LoggerFactory?.CreateLogger("Collectives.Communicator") ?? NullLogger.Instance;
        return new ResolvedOptions(timeout, options.SegmentSize, options.VerifyCalls, new AlgorithmSelector(overrides), logger, options.Offload);
    }

    private static TimeSpan? ReadTimeout(string? seconds)
    {
        if (string.IsNullOrWhiteSpace(seconds))
        {
            return null;
        }

        if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value <= 0 || double.IsInfinity(value))
        {
            throw new FormatException($"{CommunicatorOptions.TimeoutVariable}='{seconds}' is not a positive number of seconds.");
        }

        return TimeSpan.FromSeconds(value);
    }
}
