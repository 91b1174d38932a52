using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Collectives.Bootstrap;
using Collectives.Tests.Bootstrap;
using Collectives.Tests.Support;
using Collectives.Tests.Shared.Network;

namespace Collectives.Tests.Diagnostics;

/// <summary>
/// Each call is a span of the <c>Collectives</c> activity source, named after the collective.
/// Spans of one call on different ranks share <c>collectives.job_id</c> and
/// <c>collectives.sequence</c>, so a trace backend can put them side by side; a failed call's
/// span has Error status and the same <c>error.type</c> as the failures counter.
/// </summary>
public class TracingTests
{
    [Test]
    public void The_spans_of_one_call_share_job_id_and_sequence_on_every_rank()
    {
        using var recorder = new SpanRecorder();

        string?[] jobIds = RunTwoAllreduces(3);

        Assert.That(recorder.OfJobs(jobIds)
                .GroupBy(span => (Job: (string?)span.GetTagItem("collectives.job_id"), Sequence: span.GetTagItem("collectives.sequence")))
                .Select(call => (call.Key.Sequence, Ranks: call.Select(span => span.GetTagItem("collectives.rank")).OrderBy(rank => rank).ToArray()))
                .OrderBy(call => call.Sequence),
            Is.EqualTo(new[] { ((object)1L, new object[] { 0, 1, 2 }), (2L, new object[] { 0, 1, 2 }) }));
    }

    [Test]
    public void A_span_carries_the_rank_the_size_the_signature_and_the_size_bucket()
    {
        using var recorder = new SpanRecorder();

        string?[] jobIds = RunTwoAllreduces(2);

        Activity first = recorder.OfJobs(jobIds).Single(span => 1L.Equals(span.GetTagItem("collectives.sequence")) && 1.Equals(span.GetTagItem("collectives.rank")));
        Assert.That(
            (first.OperationName, first.GetTagItem("collectives.size"), first.GetTagItem("collectives.signature"), first.GetTagItem("collectives.message_size")),
            Is.EqualTo(("allreduce", (object)2, (object)"#1 Allreduce(Sum, 16 x Float32) [recursive_doubling]", (object)"<=64B")));
    }

    [Test]
    public void Each_local_group_has_its_own_job_id_shared_by_its_ranks()
    {
        string?[] first = RunTwoAllreduces(2);
        string?[] second = RunTwoAllreduces(2);

        Assert.That(first, Has.All.EqualTo(first[0]).And.All.StartWith("local-"));
        Assert.That(second, Has.All.EqualTo(second[0]).And.All.Not.EqualTo(first[0]));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_launched_jobs_spans_carry_the_launchs_job_id()
    {
        using var recorder = new SpanRecorder();
        string port = TestPorts.Free().ToString(CultureInfo.InvariantCulture);
        LaunchInfo[] launches = [.. Enumerable.Range(0, 2).Select(rank => LaunchEnvironment.Detect(Env.Of(
            ("RANK", rank.ToString(CultureInfo.InvariantCulture)), ("WORLD_SIZE", "2"), ("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", port),
            ("TORCHELASTIC_RUN_ID", "tracing-test"), ("COLLECTIVES_TRANSPORT", "tcp"))))];

        // ConnectAsync's own barrier and warm-up calls are the calls each rank's spans record.
        Communicator[] ranks = await Task.WhenAll(launches.Select(launch => Communicator.ConnectAsync(launch)));
        foreach (Communicator communicator in ranks)
        {
            await communicator.DisposeAsync();
        }

        Assert.That(launches.Select(launch => launch.JobId), Has.All.EqualTo(launches[0].JobId).And.All.Contains("tracing-test"));
        Assert.That(
            recorder.OfJobs([launches[0].JobId]).Where(span => 1L.Equals(span.GetTagItem("collectives.sequence")))
                .Select(span => (span.OperationName, span.GetTagItem("collectives.rank"))).OrderBy(span => span.Item2),
            Is.EqualTo(new[] { ("barrier", (object)0), ("barrier", 1) }));
        Assert.That(recorder.OfJobs([launches[0].JobId]).Count(), Is.EqualTo(2 * (1 + ConnectWarmUp.CallCount)));
    }

    [Test]
    public void A_failed_calls_span_has_error_status_and_error_type()
    {
        using var recorder = new SpanRecorder();
        var jobIds = new ConcurrentBag<string?>();

        LocalJob.RunCollectingFailures(2, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(2) }, communicator =>
        {
            jobIds.Add(communicator.JobId);
            communicator.Allreduce(new int[communicator.Rank + 1].AsSpan(), ReduceOp.Sum);
        });

        Assert.That(recorder.OfJobs(jobIds).Select(span => (span.Status, span.GetTagItem("error.type"))),
            Is.EqualTo(new[] { (ActivityStatusCode.Error, (object)"mismatch"), (ActivityStatusCode.Error, (object)"mismatch") }));
    }

    /// <summary>Runs two Allreduce calls of 16 floats on a new local group; returns each rank's job id.</summary>
    private static string?[] RunTwoAllreduces(int size)
    {
        var jobIds = new string?[size];
        LocalJob.Run(size, null, communicator =>
        {
            jobIds[communicator.Rank] = communicator.JobId;
            communicator.Allreduce(new float[16].AsSpan(), ReduceOp.Sum);
            communicator.Allreduce(new float[16].AsSpan(), ReduceOp.Sum);
        });
        return jobIds;
    }
}
