using Collectives.Transport.Settings;
using Microsoft.Extensions.Logging;

namespace Collectives;

/// <summary>
/// Settings of a <see cref="Communicator"/>. Every rank of a job must use the same values for
/// <see cref="SegmentSize"/> and <see cref="Algorithms"/>; a rank that differs is reported as a
/// <see cref="CollectiveMismatchException"/>.
/// </summary>
public sealed class CommunicatorOptions
{
    /// <summary>Environment variable read when <see cref="Timeout"/> is null: seconds, for example <c>30</c> or <c>0.5</c>.</summary>
    public const string TimeoutVariable = "COLLECTIVES_TIMEOUT";

    /// <summary>Environment variable read when <see cref="Algorithms"/> is null; same syntax.</summary>
    public const string AlgorithmsVariable = "COLLECTIVES_ALGORITHMS";

    /// <summary>
    /// Default of <see cref="SegmentSize"/>: 1 MiB. Over TCP each message pays a fixed cost (tens
    /// of microseconds: system calls, a wake-up per frame), so 1 MiB messages beat 256 KiB ones
    /// from 1 to 16 MiB at 2 and 4 ranks (docs/performance.md, "Cells above 1.0").
    /// </summary>
    public const int DefaultSegmentSize = 1024 * 1024;

    /// <summary>Environment variable read for <see cref="ConnectTimeout"/> (seconds) when the option is not set.</summary>
    public const string ConnectTimeoutVariable = "COLLECTIVES_CONNECT_TIMEOUT";

    /// <summary>The range of <see cref="ConnectTimeout"/>: the same as <see cref="Timeout"/>'s.</summary>
    internal static readonly NumericSetting ConnectTimeoutSetting = NumericSetting.Seconds(ConnectTimeoutVariable, 0.001, int.MaxValue / 1000.0);

    /// <summary>Default of <see cref="FlightRecorderCalls"/>.</summary>
    public const int DefaultFlightRecorderCalls = 16;

    /// <summary>Environment variable read for <see cref="FlightRecorderCalls"/> when the option is not set.</summary>
    public const string FlightRecorderCallsVariable = "COLLECTIVES_FLIGHT_RECORDER_CALLS";

    /// <summary>The range of <see cref="FlightRecorderCalls"/>: 0 (record nothing) to 65,536 calls.</summary>
    internal static readonly NumericSetting FlightRecorderCallsSetting = NumericSetting.Count(FlightRecorderCallsVariable, 0, 65_536);

    /// <summary>Default of <see cref="Timeout"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The range <see cref="Timeout"/> and <see cref="TimeoutVariable"/> accept: from 0.001 to
    /// 2147483.647 seconds (one millisecond to int.MaxValue milliseconds, about 24.8 days: the
    /// longest a timer waits).
    /// </summary>
    internal static readonly NumericSetting TimeoutSetting = NumericSetting.Seconds(TimeoutVariable, 0.001, int.MaxValue / 1000.0);

    /// <summary>
    /// How long one collective call may wait for other ranks before every rank throws
    /// <see cref="CollectiveTimeoutException"/>. Null (the default) reads
    /// <see cref="TimeoutVariable"/>, else uses <see cref="DefaultTimeout"/>. Accepted range:
    /// 0.001 to 2147483.647 seconds; a value outside it is an <see cref="ArgumentOutOfRangeException"/>
    /// from <see cref="Communicator.ConnectAsync(CommunicatorOptions?, CancellationToken)"/> and <see cref="Communicator.CreateLocal(int, CommunicatorOptions?)"/>.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Largest payload of one message in bytes (rounded down to whole elements). Larger messages
    /// are split, and tree algorithms pipeline the pieces. Default <see cref="DefaultSegmentSize"/>;
    /// small values exercise the multi-segment paths in tests.
    /// </summary>
    public int SegmentSize { get; init; } = DefaultSegmentSize;

    /// <summary>
    /// Algorithm selection overrides, consulted before the built-in table, in the syntax
    /// <c>collective:bytes[:p=ranks]:algorithm</c> separated by <c>;</c>, for example
    /// <c>allreduce:0-4k:recursive_doubling;allreduce:4k-inf:ring</c> (bytes: from inclusive, to
    /// exclusive, suffixes k/m/g, <c>inf</c>, or <c>*</c>; ranks inclusive). See README.md. Null (the default)
    /// reads <see cref="AlgorithmsVariable"/>.
    /// </summary>
    public string? Algorithms { get; init; }

    /// <summary>
    /// Whether every call checks that all ranks make the same call. Default true: ranks that
    /// disagree about the collective, root, count, type, operation or algorithm all throw
    /// <see cref="CollectiveMismatchException"/> in that call. Broadcast, Reduce, Gather and Scatter
    /// add a check: on up to 8 ranks every rank sends every other its call signature ahead of the
    /// data and reads each peer's before that peer's data (p - 1 empty messages each way, overlapping
    /// the data); on more ranks a dissemination exchange of the signatures (ceil(log2 p) rounds of
    /// empty messages) runs first. Barrier, Allreduce, Allgather, ReduceScatter and Alltoall need
    /// none, because each rank's completion already depends on a checked message from every other
    /// rank (see README.md). The flag broadcast over shared memory (<see cref="BroadcastAlgorithm.SharedMemoryTree"/>,
    /// the default below 8 KiB on 3+ ranks of one segment) is the exception: a rank may return
    /// from a disagreeing call and throw in its next call that uses the windows. With false, every message still carries the signature, so mismatched
    /// data is never combined, but a disagreement can surface as a
    /// <see cref="CollectiveTimeoutException"/> or only at a later call, and small rooted calls on
    /// more than 8 ranks are up to twice as fast.
    /// </summary>
    public bool VerifyCalls { get; init; } = true;

    /// <summary>
    /// Runs collectives on an offload engine (for example the simulated NIC of Collectives.Offload)
    /// wherever it supports the call, and on the software algorithms otherwise; the metrics' algorithm
    /// tag says which (<c>offload_nic</c>, or the software algorithm). Null (the default) runs
    /// everything in software. Every rank must use the same factory.
    /// </summary>
    public Offload.IOffloadEngineFactory? Offload { get; init; }

    /// <summary>
    /// How long <see cref="Communicator.ConnectAsync(CommunicatorOptions?, CancellationToken)"/> may take to join the job:
    /// reach the rendezvous (retrying while its name does not resolve yet or nobody listens) and
    /// connect to every peer. Null (the default) reads <see cref="ConnectTimeoutVariable"/>, else
    /// takes <see cref="Timeout"/>. Raise it where ranks start slowly (pods pulling images, a late
    /// DNS record) without lengthening how long a call may wait.
    /// </summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>
    /// How many of its last calls the communicator's flight recorder keeps; 0 keeps none. Null (the
    /// default) reads <see cref="FlightRecorderCallsVariable"/>, else <see cref="DefaultFlightRecorderCalls"/>.
    /// A <see cref="CollectiveTimeoutException"/> or <see cref="CollectiveMismatchException"/>
    /// carries them (<c>RecentCalls</c>), the failure's log entry lists them, and under collrun
    /// every rank's are printed side by side when the job fails. Recording does not allocate.
    /// </summary>
    public int? FlightRecorderCalls { get; init; }

    /// <summary>Where failures are logged; null (the default) logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
