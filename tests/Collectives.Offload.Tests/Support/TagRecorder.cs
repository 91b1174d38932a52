using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Collectives.Diagnostics;

namespace Collectives.Offload.Tests.Support;

/// <summary>Keeps the (algorithm, offload) and transport tags of every operation the Collectives meter counts.</summary>
internal sealed class TagRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Collective, string Algorithm, string? Offload, string Transport)> _operations = new();

    public TagRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CollectivesTelemetry.Name && instrument.Name == "collectives.operations")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            _operations.Enqueue(((string)map["collective"]!, (string)map["algorithm"]!, map.GetValueOrDefault("offload") as string, (string)map["transport"]!));
        });
        _listener.Start();
    }

    public List<(string Algorithm, string? Offload)> Tags(string collective)
        => [.. _operations.Where(o => o.Collective == collective).Select(o => (o.Algorithm, o.Offload))];

    public List<string> Transports(string collective)
        => [.. _operations.Where(o => o.Collective == collective).Select(o => o.Transport)];

    public void Dispose() => _listener.Dispose();
}
