using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// Settings of the shared-memory transport: sizes of the segment's parts and the waiting policy.
/// </summary>
/// <remarks>
/// <para>Waiting policy. A rank that waits for a peer first spins on the shared word for
/// <see cref="SpinDuration"/> (the lowest latency, a cache-line transfer), then calls
/// <see cref="Thread.Yield"/> (sched_yield) in a loop for <see cref="YieldDuration"/>, so that a
/// peer sharing its core can run, then sleeps on a futex in the segment until a peer publishes
/// something for it, waking every <see cref="LivenessCheckInterval"/> to check that the peers it
/// waits for are alive. When this host runs more ranks of the job than it has processors,
/// spinning only steals time from the rank being waited for, so the
/// <see cref="OversubscribedSpinDuration"/> and <see cref="OversubscribedYieldDuration"/> budgets
/// apply instead. A rank that waits longer than the spin and yield budgets costs no processor
/// time; waking it costs a system call on the publisher's side and a scheduler wake-up (tens of
/// microseconds on a virtual machine) on its own.</para>
/// <para>Each knob can be set from the environment (see <see cref="FromEnvironment"/>).</para>
/// </remarks>
public sealed class SharedMemoryTransportOptions
{
    /// <summary>Environment variable for <see cref="SpinDuration"/>, in microseconds.</summary>
    public const string SpinVariable = "COLLECTIVES_SHM_SPIN_US";

    /// <summary>Environment variable for <see cref="YieldDuration"/>, in microseconds.</summary>
    public const string YieldVariable = "COLLECTIVES_SHM_YIELD_US";

    /// <summary>Environment variable for <see cref="OversubscribedSpinDuration"/>, in microseconds.</summary>
    public const string OversubscribedSpinVariable = "COLLECTIVES_SHM_OVERSUBSCRIBED_SPIN_US";

    /// <summary>Environment variable for <see cref="OversubscribedYieldDuration"/>, in microseconds.</summary>
    public const string OversubscribedYieldVariable = "COLLECTIVES_SHM_OVERSUBSCRIBED_YIELD_US";

    /// <summary>Environment variable for <see cref="WindowLength"/>, in bytes (suffixes k, m).</summary>
    public const string WindowVariable = "COLLECTIVES_SHM_WINDOW";

    /// <summary>Environment variable for <see cref="RingCapacity"/>, in bytes (suffixes k, m).</summary>
    public const string RingVariable = "COLLECTIVES_SHM_RING";

    /// <summary>Bytes of each ordered pair's message ring; a power of two, at least 4 KiB. Default 128 KiB.</summary>
    /// <remarks>Messages larger than the ring stream through it in pieces.</remarks>
    public int RingCapacity { get; init; } = 128 * 1024;

    /// <summary>
    /// Bytes of each rank's window for in-place collectives; a multiple of 4 KiB, at least 8 KiB.
    /// Default 1 MiB: large collectives move data in two alternating halves of it, so each half
    /// (512 KiB) fits a core's L2 cache with room for the output.
    /// </summary>
    public int WindowLength { get; init; } = 1024 * 1024;

    /// <summary>
    /// How long a waiting rank spins before yielding. Default 50 µs. Spinning longer pays off only
    /// while the awaited rank runs on another core; ranks are not pinned, and when the scheduler
    /// puts two on one core (a loaded machine) a spinner only delays its peer until preempted.
    /// </summary>
    public TimeSpan SpinDuration { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>How long a waiting rank yields its processor in a loop before it sleeps. Default 20 ms.</summary>
    public TimeSpan YieldDuration { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary><see cref="SpinDuration"/> when this host runs more ranks than it has processors. Default 1 µs.</summary>
    public TimeSpan OversubscribedSpinDuration { get; init; } = TimeSpan.FromMicroseconds(1);

    /// <summary><see cref="YieldDuration"/> when this host runs more ranks than it has processors. Default 50 ms.</summary>
    public TimeSpan OversubscribedYieldDuration { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often a sleeping rank wakes to check that the ranks it waits for are alive. Default 20 ms.</summary>
    public TimeSpan LivenessCheckInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often each rank advances its heartbeat word. Default 100 ms.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a peer's heartbeat may stand still before it counts as failed. Default 10 s.</summary>
    /// <remarks>A process that exits is noticed sooner, by its process id; this catches a stopped or wedged one.</remarks>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long connecting waits for every local rank to map the segment. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives the transport's diagnostics; null for none.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Returns a copy of <paramref name="defaults"/> with the knobs the environment sets:
    /// <see cref="SpinVariable"/>, <see cref="YieldVariable"/>, <see cref="OversubscribedSpinVariable"/>,
    /// <see cref="OversubscribedYieldVariable"/>, <see cref="WindowVariable"/> and <see cref="RingVariable"/>.
    /// </summary>
    /// <param name="defaults">The settings to start from.</param>
    /// <param name="environment">Reads an environment variable (for example <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <returns>The settings.</returns>
    /// <exception cref="FormatException">A variable holds something other than a non-negative number.</exception>
    public static SharedMemoryTransportOptions FromEnvironment(SharedMemoryTransportOptions defaults, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(environment);
        return new SharedMemoryTransportOptions
        {
            RingCapacity = Bytes(environment, RingVariable) ?? defaults.RingCapacity,
            WindowLength = Bytes(environment, WindowVariable) ?? defaults.WindowLength,
            SpinDuration = Microseconds(environment, SpinVariable) ?? defaults.SpinDuration,
            YieldDuration = Microseconds(environment, YieldVariable) ?? defaults.YieldDuration,
            OversubscribedSpinDuration = Microseconds(environment, OversubscribedSpinVariable) ?? defaults.OversubscribedSpinDuration,
            OversubscribedYieldDuration = Microseconds(environment, OversubscribedYieldVariable) ?? defaults.OversubscribedYieldDuration,
            LivenessCheckInterval = defaults.LivenessCheckInterval,
            HeartbeatInterval = defaults.HeartbeatInterval,
            HeartbeatTimeout = defaults.HeartbeatTimeout,
            ConnectTimeout = defaults.ConnectTimeout,
            LoggerFactory = defaults.LoggerFactory,
        };
    }

    internal void Validate()
    {
        if (RingCapacity < 4096 || (RingCapacity & (RingCapacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RingCapacity), RingCapacity, "The ring capacity must be a power of two of at least 4096 bytes.");
        }

        if (WindowLength < 8192 || WindowLength % 4096 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowLength), WindowLength, "The window length must be a multiple of 4096 bytes, at least 8192.");
        }

        foreach ((string name, TimeSpan value) in new[]
        {
            (nameof(SpinDuration), SpinDuration), (nameof(YieldDuration), YieldDuration),
            (nameof(OversubscribedSpinDuration), OversubscribedSpinDuration), (nameof(OversubscribedYieldDuration), OversubscribedYieldDuration),
        })
        {
            if (value < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");
            }
        }

        foreach ((string name, TimeSpan value) in new[]
        {
            (nameof(LivenessCheckInterval), LivenessCheckInterval), (nameof(HeartbeatInterval), HeartbeatInterval),
            (nameof(HeartbeatTimeout), HeartbeatTimeout), (nameof(ConnectTimeout), ConnectTimeout),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
            }
        }
    }

    private static TimeSpan? Microseconds(Func<string, string?> environment, string variable)
    {
        string? text = environment(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < 0 || double.IsInfinity(value))
        {
            throw new FormatException($"{variable}='{text}' is not a non-negative number of microseconds.");
        }

        return TimeSpan.FromMicroseconds(value);
    }

    private static int? Bytes(Func<string, string?> environment, string variable)
    {
        string? text = environment(variable)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        int multiplier = char.ToLowerInvariant(text[^1]) switch
        {
            'k' => 1 << 10,
            'm' => 1 << 20,
            _ => 1,
        };
        string digits = multiplier == 1 ? text : text[..^1];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > int.MaxValue / multiplier)
        {
            throw new FormatException($"{variable}='{text}' is not a size in bytes (suffixes k and m allowed).");
        }

        return value * multiplier;
    }
}
