using System.Collections.Concurrent;
using System.Diagnostics;
using Collectives.Tests.Selection;
using Collectives.Tests.Support;

namespace Collectives.Tests.Diagnostics;

/// <summary>
/// A completed call records how long this rank waited for the others (<c>collectives.wait.duration</c>)
/// and attributes that time to the rank it waited on longest (<c>collectives.wait.peer_time</c>,
/// tag <c>collectives.peer</c>), so the rank everybody waits for stands out.
/// </summary>
[NonParallelizable]
public class WaitMetricsTests
{
    private static readonly TimeSpan Lateness = TimeSpan.FromMilliseconds(300);

    [Test]
    public void A_rank_that_calls_late_is_the_peer_the_others_waited_for_about_as_long()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(3, null, AllreduceWithLastRankLate);

        IReadOnlyList<RecordedMeasurement> waits = [.. recorder.Of("collectives.wait.peer_time").Where(measurement => measurement.Tag("collective") == "allreduce")];
        Assert.That(waits.Where(measurement => measurement.Tag("collectives.peer") == "2").Select(measurement => measurement.Value),
            Is.Not.Empty.And.All.GreaterThanOrEqualTo(0.8 * Lateness.TotalSeconds));
    }

    [Test]
    public void In_shared_memory_windows_the_wait_is_measured_without_a_peer()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(3, null, AllreduceWithLastRankLate, TestTransport.SharedMemory);

        Assert.That(recorder.Of("collectives.wait.duration").Where(measurement => measurement.Tag("collective") == "allreduce").Select(measurement => measurement.Value).Max(),
            Is.GreaterThanOrEqualTo(0.8 * Lateness.TotalSeconds));
        Assert.That(recorder.Of("collectives.wait.peer_time").Where(measurement => measurement.Tag("collective") == "allreduce"), Is.Empty);
    }

    [Test]
    public void A_calls_span_names_the_late_rank_and_how_long_this_rank_waited_for_it()
    {
        using var recorder = new SpanRecorder();
        var jobIds = new ConcurrentBag<string?>();

        LocalJob.Run(2, null, communicator =>
        {
            jobIds.Add(communicator.JobId);
            AllreduceWithLastRankLate(communicator);
        });

        Activity waiter = recorder.OfJobs(jobIds).Single(span => span.OperationName == "allreduce" && 0.Equals(span.GetTagItem("collectives.rank")));
        Assert.That((waiter.GetTagItem("collectives.wait.peer"), (double?)waiter.GetTagItem("collectives.wait.duration") >= 0.8 * Lateness.TotalSeconds),
            Is.EqualTo(((object)1, true)));
    }

    /// <summary>Every rank meets at a barrier, then the last rank sleeps before an Allreduce of 16 floats.</summary>
    private static void AllreduceWithLastRankLate(Communicator communicator)
    {
        communicator.Barrier();
        if (communicator.Rank == communicator.Size - 1)
        {
            Thread.Sleep(Lateness);
        }

        communicator.Allreduce(new float[16].AsSpan(), ReduceOp.Sum);
    }
}
