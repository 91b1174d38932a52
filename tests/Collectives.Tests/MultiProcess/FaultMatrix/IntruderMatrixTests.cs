namespace Collectives.Tests.MultiProcess.FaultMatrix;

/// <summary>
/// The fault matrix, intruders: while a real multi-process job serves Allreduce calls, a client
/// that is not one of its ranks connects to every port the job listens on (the rendezvous
/// server's; over TCP also every rank's) and misbehaves. Each port refuses it (closes the
/// connection within <see cref="Intrusions.RefusalBound"/>), the rendezvous server still serves,
/// and every rank completes every call with the right result: the job carries on unaffected.
/// (Shared memory listens on no port of its own; the NIC adds none.)
/// </summary>
[Parallelizable(ParallelScope.None)]
[Category("MultiProcess")]
[Category("FaultMatrix")]
[Platform("Linux")]
public class IntruderMatrixTests
{
    [TestCase("shm", 2)]
    [TestCase("tcp", 3)]
    public async Task Garbage_on_every_listening_port_is_refused_and_the_job_carries_on(string transport, int size)
        => await AssertRefusedAsync("garbage", transport, size, Intrusions.GarbageAsync);

    [TestCase("shm", 2)]
    [TestCase("tcp", 3)]
    public async Task A_truncated_frame_on_every_listening_port_is_refused_and_the_job_carries_on(string transport, int size)
        => await AssertRefusedAsync("truncated frame", transport, size, Intrusions.TruncatedFrameAsync);

    [TestCase("shm", 2)]
    [TestCase("tcp", 3)]
    public async Task An_oversized_length_prefix_on_every_listening_port_is_refused_and_the_job_carries_on(string transport, int size)
        => await AssertRefusedAsync("oversized length prefix", transport, size, Intrusions.OversizedLengthPrefixAsync);

    [TestCase("shm", 2)]
    [TestCase("tcp", 2)]
    public async Task A_half_open_connection_on_every_listening_port_is_dropped_and_the_job_carries_on(string transport, int size)
        => await AssertRefusedAsync("half-open connection", transport, size, Intrusions.HalfOpenAsync);

    [TestCase("shm", 2)]
    [TestCase("tcp", 3)]
    public async Task A_wrong_secret_on_every_listening_port_is_refused_and_the_job_carries_on(string transport, int size)
        => await AssertRefusedAsync("wrong secret", transport, size, Intrusions.WrongSecretAsync);

    [TestCase("shm", 2)]
    [TestCase("tcp", 3)]
    public async Task A_replayed_handshake_on_every_listening_port_is_refused_and_the_job_carries_on(string transport, int size)
        => await AssertRefusedAsync("replayed handshake", transport, size, Intrusions.ReplayedHandshakeAsync);

    private static async Task AssertRefusedAsync(string intrusion, string transport, int size, Func<ListeningPort, RunningJob, Task> intrude)
    {
        (FinishedJob job, TimeSpan intruding) = await IntrudedJob.RunAsync(transport, size, intrude);

        MatrixTable.Record(intrusion + " (every port)", transport, size, intruding, job.Reports.Select(report => report.Outcome));
        Assert.That(job.Reports.Select(report => report.Outcome), Has.All.EqualTo("OK"), ProcessJob.Describe(job.Reports));
        Assert.That(job.Reports.Select(report => report.Detail), Has.All.Contains("every result right"), ProcessJob.Describe(job.Reports));
    }
}
