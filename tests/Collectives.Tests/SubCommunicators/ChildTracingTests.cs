using System.Diagnostics;
using Collectives.Tests.Diagnostics;
using Collectives.Tests.Support;

namespace Collectives.Tests.SubCommunicators;

/// <summary>
/// A child's calls are spans like the job's, numbered by the child, sized by the child, and tagged
/// <c>collectives.communicator</c> with the child's identity (the job's own calls carry no such tag).
/// </summary>
public class ChildTracingTests
{
    [Test]
    public void A_childs_span_carries_its_communicator_its_own_rank_size_and_sequence()
    {
        using var recorder = new SpanRecorder();
        string? jobId = null;

        LocalJob.Run(3, options: null, parent =>
        {
            jobId = parent.JobId;
            using Communicator? child = parent.Split(parent.Rank == 0 ? Communicator.NoColor : 0, key: -parent.Rank);
            child?.Barrier();
        });

        Activity[] spans = [.. recorder.OfJobs([jobId])];
        Activity[] childSpans = [.. spans.Where(span => span.GetTagItem("collectives.communicator") is not null)];
        Assert.Multiple(() =>
        {
            // The job's split (an allgather) on three ranks; the child's first call on two.
            Assert.That(spans.Where(span => span.GetTagItem("collectives.communicator") is null).Select(span => span.OperationName), Is.EqualTo(new[] { "allgather", "allgather", "allgather" }));
            Assert.That(
                childSpans.Select(span => (span.OperationName, span.GetTagItem("collectives.size"), span.GetTagItem("collectives.sequence"), span.GetTagItem("collectives.rank"))).OrderBy(span => span.Item4),
                Is.EqualTo(new[] { ("barrier", (object)2, (object)1L, (object)0), ("barrier", 2, 1L, 1) }));
            Assert.That(childSpans.Select(span => span.GetTagItem("collectives.communicator")).Distinct().Count(), Is.EqualTo(1));
        });
    }
}
