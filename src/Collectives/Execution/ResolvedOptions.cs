using Collectives.Bootstrap;
using Collectives.Offload;
using Collectives.Selection;
using Collectives.Transport.SharedMemory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collectives.Execution;

/// <summary>The one place where <see cref="CommunicatorOptions"/> meet the environment variables.</summary>
internal sealed record ResolvedOptions(TimeSpan Timeout, int SegmentSize, bool VerifyCalls, AlgorithmSelector Selector, ILogger Logger, IOffloadEngineFactory? Offload)
{
    /// <summary>
    /// <see cref="LaunchVariables.Bind"/>: the IP address or interface name a rank's TCP transport
    /// listens on; null when unset (loopback, or every interface when the rendezvous is remote).
    /// </summary>
    public string? Bind { get; init; }

    /// <summary>How long joining the job may take (<see cref="CommunicatorOptions.ConnectTimeout"/>).</summary>
    public TimeSpan ConnectTimeout { get; init; }

    /// <summary><see cref="LaunchVariables.SocketInterface"/>: the interface filter, or null when unset.</summary>
    public string? SocketInterface { get; init; }

    /// <summary>
    /// The shared-memory transport's settings: its <c>COLLECTIVES_SHM_*</c> variables over the
    /// defaults, with <see cref="ConnectTimeout"/> to connect and the options' logger factory.
    /// </summary>
    public SharedMemoryTransportOptions SharedMemory { get; init; } = new();

    /// <summary>How many calls each communicator's flight recorder keeps (<see cref="CommunicatorOptions.FlightRecorderCalls"/>).</summary>
    public int FlightRecorderCalls { get; init; } = CommunicatorOptions.DefaultFlightRecorderCalls;

    /// <summary><see cref="LaunchVariables.FlightRecords"/>: where flight records are written, or null.</summary>
    public string? FlightRecords { get; init; }

    public static ResolvedOptions Resolve(CommunicatorOptions? options, Func<string, string?> environment)
    {
        options ??= new CommunicatorOptions();
        TimeSpan timeout = options.Timeout is { } configuredTimeout
            ? CommunicatorOptions.TimeoutSetting.CheckDuration(configuredTimeout, "CommunicatorOptions.Timeout")
            : environment(CommunicatorOptions.TimeoutVariable) is { } seconds && !string.IsNullOrWhiteSpace(seconds)
                ? CommunicatorOptions.TimeoutSetting.ParseDuration(seconds)
                : CommunicatorOptions.DefaultTimeout;

        TimeSpan connectTimeout = options.ConnectTimeout is { } configuredConnect
            ? CommunicatorOptions.ConnectTimeoutSetting.CheckDuration(configuredConnect, "CommunicatorOptions.ConnectTimeout")
            : environment(CommunicatorOptions.ConnectTimeoutVariable) is { } connectSeconds && !string.IsNullOrWhiteSpace(connectSeconds)
                ? CommunicatorOptions.ConnectTimeoutSetting.ParseDuration(connectSeconds)
                : timeout;

        if (options.SegmentSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SegmentSize, "CommunicatorOptions.SegmentSize must be at least 1 byte.");
        }

        IReadOnlyList<SelectionRule> overrides = options.Algorithms is { } configured
            ? SelectionTable.Parse(configured, "CommunicatorOptions.Algorithms")
            : environment(CommunicatorOptions.AlgorithmsVariable) is { Length: > 0 } fromEnvironment
                ? SelectionTable.Parse(fromEnvironment, CommunicatorOptions.AlgorithmsVariable)
                : [];

        int flightRecorderCalls = options.FlightRecorderCalls is { } configuredCalls
            ? (int)CommunicatorOptions.FlightRecorderCallsSetting.Check(configuredCalls, "CommunicatorOptions.FlightRecorderCalls")
            : environment(CommunicatorOptions.FlightRecorderCallsVariable) is { } calls && !string.IsNullOrWhiteSpace(calls)
                ? (int)CommunicatorOptions.FlightRecorderCallsSetting.ParseWhole(calls)
                : CommunicatorOptions.DefaultFlightRecorderCalls;

        ILogger logger = options.LoggerFactory?.CreateLogger("Collectives.Communicator") ?? NullLogger.Instance;
        return new ResolvedOptions(timeout, options.SegmentSize, options.VerifyCalls, new AlgorithmSelector(overrides), logger, options.Offload)
        {
            Bind = environment(LaunchVariables.Bind) is { Length: > 0 } bind ? bind : null,
            SocketInterface = environment(LaunchVariables.SocketInterface) is { } filter && !string.IsNullOrWhiteSpace(filter) ? filter : null,
            FlightRecorderCalls = flightRecorderCalls,
            FlightRecords = environment(LaunchVariables.FlightRecords) is { Length: > 0 } records ? records : null,
            SharedMemory = SharedMemoryTransportOptions.FromEnvironment(
                new SharedMemoryTransportOptions { ConnectTimeout = connectTimeout, LoggerFactory = options.LoggerFactory }, environment),
            ConnectTimeout = connectTimeout,
        };
    }
}
