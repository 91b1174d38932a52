using System.Diagnostics;
using System.Diagnostics.Metrics;
using Collectives.Catalog;

namespace Collectives.Diagnostics;

/// <summary>
/// The library's metrics and traces: a <see cref="Meter"/> and an <see cref="ActivitySource"/>
/// both named <c>Collectives</c>. Instruments are tagged with <c>collective</c>, <c>algorithm</c>,
/// <c>transport</c>; a communicator with an offload engine adds <c>offload</c>: the engine's name
/// (for example <c>nic</c>) when it ran the call, <c>fallback</c> when it did not support the call
/// and the software algorithm ran instead.
/// </summary>
public static class CollectivesTelemetry
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string Name = "Collectives";

    /// <summary>Value of the <c>offload</c> tag when the engine did not support a call and software ran it.</summary>
    public const string OffloadFallback = "fallback";

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

    internal static void Record(CollectiveKind kind, string algorithm, string transport, string? offload, long bytes, long startTimestamp, bool failed)
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
        };
        if (offload is not null)
        {
            tags.Add("offload", offload);
        }

        if (failed)
        {
            Failures.Add(1, tags);
            return;
        }

        Operations.Add(1, tags);
        Bytes.Add(bytes, tags);
        Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }
}
