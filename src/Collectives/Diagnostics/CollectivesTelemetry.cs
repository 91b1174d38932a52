using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Collectives.Diagnostics;

/// <summary>
/// The library's metrics and traces: a <see cref="Meter"/> and an <see cref="ActivitySource"/>
/// both named <c>Collectives</c>. Instruments are tagged with <c>collective</c>, <c>algorithm</c>
/// and <c>transport</c>.
/// </summary>
public static class CollectivesTelemetry
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string Name = "Collectives";

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(CollectivesTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(CollectivesTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Operations = Meter.CreateCounter<long>(
        "collectives.operations", "{operation}", "Collective calls completed.");

    internal static readonly Counter<long> Bytes = Meter.CreateCounter<long>(
        "collectives.bytes", "By", "Bytes of user buffers reduced, broadcast or allreduced.");

    internal static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "collectives.failures", "{operation}", "Collective calls that threw.");

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "collectives.operation.duration", "s", "Duration of collective calls.");

    internal static void Record(CollectiveKind kind, string algorithm, string transport, long bytes, long startTimestamp, bool failed)
    {
        if (!Operations.Enabled && !Bytes.Enabled && !Duration.Enabled && !Failures.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "collective", CollectiveNames.Of(kind) },
            { "algorithm", algorithm },
            { "transport", transport },
        };
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
