using System.Collections.Concurrent;
using System.Diagnostics;
using Collectives.Diagnostics;

namespace Collectives.Tests.Diagnostics;

/// <summary>Samples every span of the <c>Collectives</c> activity source while it lives and keeps the finished ones.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _spans = new();

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CollectivesTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The finished spans of the jobs with these ids (other tests may run calls of their own meanwhile).</summary>
    public IReadOnlyList<Activity> OfJobs(IEnumerable<string?> jobIds)
    {
        var wanted = jobIds.ToHashSet();
        return _spans.Where(span => wanted.Contains(span.GetTagItem("collectives.job_id") as string)).ToArray();
    }

    public void Dispose() => _listener.Dispose();
}
