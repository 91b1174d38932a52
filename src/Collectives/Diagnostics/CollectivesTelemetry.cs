using System.Diagnostics;
using System.Diagnostics.Metrics;
using Collectives.Catalog;
using Collectives.Transport;

namespace Collectives.Diagnostics;

/// <summary>
/// The library's metrics and traces: a <see cref="Meter"/> and an <see cref="ActivitySource"/>
/// both named <c>Collectives</c> (docs/observability.md lists every instrument and attribute).
/// Call instruments are tagged with <c>collective</c>, <c>algorithm</c>, <c>transport</c> and
/// <c>collectives.message_size</c>; a communicator with an offload engine adds <c>offload</c>: the
/// engine's name (for example <c>nic</c>) when it ran the call, <c>fallback</c> when it did not
/// support the call and the software algorithm ran instead. A failed call is tagged with
/// <c>error.type</c> (timeout, mismatch, peer_failed, protocol, cancelled, else the exception
/// type), on the failures counter and on its span. The wait instruments say how long completed
/// calls waited for other ranks, and for which rank longest.
/// </summary>
public static class CollectivesTelemetry
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string Name = "Collectives";

    /// <summary>Value of the <c>offload</c> tag when the engine did not support a call and software ran it.</summary>
    public const string OffloadFallback = "fallback";

    /// <summary>Name of the tag that says why a call failed, after OpenTelemetry's <c>error.type</c> convention.</summary>
    internal const string ErrorTypeTag = "error.type";

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(CollectivesTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(CollectivesTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Operations = Meter.CreateCounter<long>(
        "collectives.operations", "{operation}", "Collective calls completed.");

    internal static readonly Counter<long> Bytes = Meter.CreateCounter<long>(
        "collectives.bytes", "By", "Bytes of user buffers reduced, broadcast or allreduced.");

    internal static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "collectives.failures", "{operation}", "Collective calls that threw.");

    /// <summary>
    /// Bucket boundaries advised for <c>collectives.operation.duration</c>, in seconds: 1, 2 and 5
    /// per decade from 1 µs to 10 s, so a Prometheus exporter resolves both an 8-byte shared-memory
    /// Allreduce and a timed-out call instead of putting every call in one bucket.
    /// </summary>
    internal static readonly IReadOnlyList<double> DurationBuckets =
    [
        0.000_001, 0.000_002, 0.000_005,
        0.000_01, 0.000_02, 0.000_05,
        0.000_1, 0.000_2, 0.000_5,
        0.001, 0.002, 0.005,
        0.01, 0.02, 0.05,
        0.1, 0.2, 0.5,
        1, 2, 5,
        10,
    ];

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "collectives.operation.duration", "s", "Duration of collective calls.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    internal static readonly Histogram<double> WaitDuration = Meter.CreateHistogram(
        "collectives.wait.duration", "s", "Time a completed call spent waiting for other ranks.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    internal static readonly Counter<double> WaitByPeer = Meter.CreateCounter<double>(
        "collectives.wait.peer_time", "s", "Time completed calls spent waiting, attributed to the rank each call waited on longest.");

    /// <summary>True when a listener takes the wait instruments: only then are a call's waits timed.</summary>
    internal static bool WaitsObserved => WaitDuration.Enabled || WaitByPeer.Enabled;

    /// <summary>Records a completed call's wait: its duration, and the same seconds against the peer it waited on longest (when known).</summary>
    internal static void RecordWait(CollectiveKind kind, double seconds, string? peer)
    {
        var collective = new KeyValuePair<string, object?>("collective", AlgorithmCatalog.NameOf(kind));
        WaitDuration.Record(seconds, collective);
        if (peer is not null)
        {
            WaitByPeer.Add(seconds, collective, new KeyValuePair<string, object?>("collectives.peer", peer));
        }
    }

    /// <summary>
    /// The <c>collectives.message_size</c> tag: this rank's buffer size in one of eight buckets,
    /// each 16 times the last above 64 bytes — <c>0</c>, <c>&lt;=64B</c>, <c>&lt;=1KiB</c>,
    /// <c>&lt;=16KiB</c>, <c>&lt;=256KiB</c>, <c>&lt;=4MiB</c>, <c>&lt;=64MiB</c>, <c>&gt;64MiB</c> —
    /// so latency can be split by size without one time series per buffer length.
    /// </summary>
    /// <param name="bytes">The buffer size in bytes.</param>
    /// <returns>The bucket's label, a constant.</returns>
    internal static string MessageSizeBucket(long bytes) => bytes switch
    {
        <= 0 => "0",
        <= 64 => "<=64B",
        <= 1 << 10 => "<=1KiB",
        <= 16 << 10 => "<=16KiB",
        <= 256 << 10 => "<=256KiB",
        <= 4 << 20 => "<=4MiB",
        <= 64 << 20 => "<=64MiB",
        _ => ">64MiB",
    };

    /// <summary>
    /// The <c>error.type</c> of a failure: <c>timeout</c>, <c>mismatch</c>, <c>peer_failed</c>,
    /// <c>protocol</c> or <c>cancelled</c> for the library's own failures (also when another rank
    /// noticed it first and this rank learnt of it through the abort), else the exception's full
    /// type name, as OpenTelemetry advises for errors without a well-known name.
    /// </summary>
    /// <param name="failure">The exception the call throws.</param>
    /// <returns>The tag's value; one of a few constants for the library's failures.</returns>
    internal static string ErrorTypeOf(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            CollectiveTimeoutException => "timeout",
            CollectiveMismatchException => "mismatch",
            PeerFailedException => "peer_failed",
            ProtocolException => "protocol",
            OperationCanceledException => "cancelled",
            _ => failure.GetType().FullName ?? failure.GetType().Name,
        };
    }

    /// <summary>Counts a call: as a failure tagged with <paramref name="errorType"/> when it is not null, else as an operation with its bytes and duration.</summary>
    internal static void Record(CollectiveKind kind, string algorithm, string transport, string? offload, long bytes, long startTimestamp, string? errorType)
    {
        if (!Operations.Enabled && !Bytes.Enabled && !Duration.Enabled && !Failures.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "collective", AlgorithmCatalog.NameOf(kind) },
            { "algorithm", algorithm },
            { "transport", transport },
            { "collectives.message_size", MessageSizeBucket(bytes) },
        };
        if (offload is not null)
        {
            tags.Add("offload", offload);
        }

        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
            Failures.Add(1, tags);
            return;
        }

        Operations.Add(1, tags);
        Bytes.Add(bytes, tags);
        Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }
}
