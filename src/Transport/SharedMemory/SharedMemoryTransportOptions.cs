using System.Numerics;
using Collectives.Transport.Settings;
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

    /// <summary>The longest waiting budget (<see cref="SpinDuration"/> and the like): 10 s, far beyond any useful value.</summary>
    public static readonly TimeSpan MaximumWaitingBudget = TimeSpan.FromSeconds(10);

    /// <summary>The largest <see cref="RingCapacity"/>: 64 MiB.</summary>
    public const int MaximumRingCapacity = 64 << 20;

    /// <summary>The largest <see cref="WindowLength"/>: 1 GiB.</summary>
    public const int MaximumWindowLength = 1 << 30;

    private static readonly NumericSetting Spin = WaitingBudget(SpinVariable);
    private static readonly NumericSetting Yield = WaitingBudget(YieldVariable);
    private static readonly NumericSetting OversubscribedSpin = WaitingBudget(OversubscribedSpinVariable);
    private static readonly NumericSetting OversubscribedYield = WaitingBudget(OversubscribedYieldVariable);
    private static readonly NumericSetting Ring = NumericSetting.Bytes(RingVariable, 4096, MaximumRingCapacity);
    private static readonly NumericSetting Window = NumericSetting.Bytes(WindowVariable, 8192, MaximumWindowLength);

    /// <summary>What the automatic ring capacity keeps all of a segment's rings within: 16 MiB.</summary>
    private const long AutomaticRingBudget = 16L << 20;

    private const int SmallestAutomaticRing = 128 * 1024;

    private const int LargestAutomaticRing = 1024 * 1024;

    /// <summary>
    /// Bytes of each ordered pair's message ring; a power of two from 4 KiB to <see cref="MaximumRingCapacity"/>.
    /// Default null: chosen by the number of ranks sharing the segment (<see cref="RingCapacityFor"/>).
    /// </summary>
    /// <remarks>Messages larger than the ring stream through it in pieces, each handed over with a wait.</remarks>
    public int? RingCapacity { get; init; }

    /// <summary>
    /// The ring capacity a segment of <paramref name="ranks"/> ranks gets: <see cref="RingCapacity"/>
    /// when set, else the largest power of two from 128 KiB to 1 MiB with which the segment's
    /// rings (one per ordered pair) stay within 16 MiB: 1 MiB for up to 4 ranks, 512 KiB for 5 or 6,
    /// 256 KiB for 7 or 8, 128 KiB from 9. A large message between two ranks then streams in fewer
    /// pieces (measured: 1 MiB blocks between a host's two ranks), while a segment of many ranks
    /// stays far below the 64 MiB that containers give /dev/shm by default.
    /// </summary>
    /// <param name="ranks">Ranks sharing the segment, at least 1.</param>
    public int RingCapacityFor(int ranks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        if (RingCapacity is { } capacity)
        {
            return capacity;
        }

        long rings = Math.Max(1L, (long)ranks * (ranks - 1));
        long share = AutomaticRingBudget / rings;
        long largestPowerOfTwo = share == 0 ? 0 : 1L << BitOperations.Log2((ulong)share);
        return (int)Math.Clamp(largestPowerOfTwo, SmallestAutomaticRing, LargestAutomaticRing);
    }

    /// <summary>
    /// Bytes of each rank's window for in-place collectives; a multiple of 4 KiB from 8 KiB to <see cref="MaximumWindowLength"/>.
    /// Default 1 MiB: large collectives move data in two alternating halves of it, so each half
    /// (512 KiB) fits a core's L2 cache with room for the output.
    /// </summary>
    public int WindowLength { get; init; } = 1024 * 1024;

    /// <summary>
    /// How long a waiting rank spins before yielding, from 0 to <see cref="MaximumWaitingBudget"/>. Default 50 µs. Spinning longer pays off only
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
    /// Ranks of the job that share this machine's processors, as the bootstrap counted them by the
    /// kernel's boot id (several containers or network namespaces on one machine are several hosts
    /// but one machine); 0 when unknown. The segment is oversubscribed when this, or its own rank
    /// count, exceeds the processors.
    /// </summary>
    internal int MachineRanks { get; private set; }

    /// <summary>A copy of these options for a job that runs <paramref name="machineRanks"/> ranks on this machine.</summary>
    internal SharedMemoryTransportOptions ForMachine(int machineRanks)
    {
        var copy = (SharedMemoryTransportOptions)MemberwiseClone();
        copy.MachineRanks = machineRanks;
        return copy;
    }

    /// <summary>
    /// Returns a copy of <paramref name="defaults"/> with the knobs the environment sets:
    /// <see cref="SpinVariable"/>, <see cref="YieldVariable"/>, <see cref="OversubscribedSpinVariable"/>,
    /// <see cref="OversubscribedYieldVariable"/>, <see cref="WindowVariable"/> and <see cref="RingVariable"/>.
    /// </summary>
    /// <param name="defaults">The settings to start from.</param>
    /// <param name="environment">Reads an environment variable (for example <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <returns>The settings.</returns>
    /// <exception cref="FormatException">A variable holds something other than a number; the message names it and its range.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A variable holds a number outside its range (sizes: the ring from 4 KiB to
    /// 64 MiB, the window from 8 KiB to 1 GiB; waiting budgets: 0 to 10,000,000 µs); the message names it and its range.</exception>
    public static SharedMemoryTransportOptions FromEnvironment(SharedMemoryTransportOptions defaults, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(environment);
        return new SharedMemoryTransportOptions
        {
            RingCapacity = Read(environment, Ring) is { } ring ? (int)ring : defaults.RingCapacity,
            WindowLength = Read(environment, Window) is { } window ? (int)window : defaults.WindowLength,
            SpinDuration = Read(environment, Spin) is { } spin ? Spin.ToDuration(spin) : defaults.SpinDuration,
            YieldDuration = Read(environment, Yield) is { } yield ? Yield.ToDuration(yield) : defaults.YieldDuration,
            OversubscribedSpinDuration = Read(environment, OversubscribedSpin) is { } oversubscribedSpin ? OversubscribedSpin.ToDuration(oversubscribedSpin) : defaults.OversubscribedSpinDuration,
            OversubscribedYieldDuration = Read(environment, OversubscribedYield) is { } oversubscribedYield ? OversubscribedYield.ToDuration(oversubscribedYield) : defaults.OversubscribedYieldDuration,
            LivenessCheckInterval = defaults.LivenessCheckInterval,
            HeartbeatInterval = defaults.HeartbeatInterval,
            HeartbeatTimeout = defaults.HeartbeatTimeout,
            ConnectTimeout = defaults.ConnectTimeout,
            LoggerFactory = defaults.LoggerFactory,
        };
    }

    internal void Validate()
    {
        if (RingCapacity is { } ring)
        {
            Ring.Check(ring, nameof(RingCapacity));
            if ((ring & (ring - 1)) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(RingCapacity), ring, "The ring capacity must be a power of two of at least 4096 bytes.");
            }
        }

        Window.Check(WindowLength, nameof(WindowLength));
        if (WindowLength % 4096 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowLength), WindowLength, "The window length must be a multiple of 4096 bytes, at least 8192.");
        }

        Spin.CheckDuration(SpinDuration, nameof(SpinDuration));
        Yield.CheckDuration(YieldDuration, nameof(YieldDuration));
        OversubscribedSpin.CheckDuration(OversubscribedSpinDuration, nameof(OversubscribedSpinDuration));
        OversubscribedYield.CheckDuration(OversubscribedYieldDuration, nameof(OversubscribedYieldDuration));
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

    private static NumericSetting WaitingBudget(string variable) => NumericSetting.Microseconds(variable, 0, MaximumWaitingBudget.TotalMicroseconds);

    private static double? Read(Func<string, string?> environment, NumericSetting setting)
        => environment(setting.Name) is { } text && !string.IsNullOrWhiteSpace(text) ? setting.Parse(text) : null;
}
