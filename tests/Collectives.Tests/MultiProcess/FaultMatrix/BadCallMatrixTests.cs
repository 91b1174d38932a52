using System.Globalization;

namespace Collectives.Tests.MultiProcess.FaultMatrix;

/// <summary>
/// The fault matrix, bad API input: one rank of a real multi-process job makes a bad call between
/// two good Allreduces. The call throws the usual exception at once, sends nothing (so every
/// rank's next Allreduce still gives the reference result), and the other ranks see nothing of it.
/// </summary>
[Parallelizable(ParallelScope.None)]
[Category("MultiProcess")]
[Category("FaultMatrix")]
[Platform("Linux")]
public class BadCallMatrixTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestCase("short-receive-buffer", nameof(ArgumentException), "shm", 2)]
    [TestCase("short-receive-buffer", nameof(ArgumentException), "tcp", 3)]
    public async Task A_receive_buffer_shorter_than_the_send_buffer_at_the_root_throws_before_anything_is_sent(string badCall, string exceptionType, string transport, int size)
        => await AssertRefusedAsync(badCall, exceptionType, transport, size);

    [TestCase("mismatched-lengths", nameof(ArgumentException), "shm", 3)]
    [TestCase("mismatched-lengths", nameof(ArgumentException), "tcp", 2)]
    public async Task Send_and_receive_buffers_of_different_lengths_throw_before_anything_is_sent(string badCall, string exceptionType, string transport, int size)
        => await AssertRefusedAsync(badCall, exceptionType, transport, size);

    [TestCase("root-out-of-range", nameof(ArgumentOutOfRangeException), "shm", 4)]
    [TestCase("root-out-of-range", nameof(ArgumentOutOfRangeException), "tcp", 2)]
    public async Task A_root_out_of_range_throws_before_anything_is_sent(string badCall, string exceptionType, string transport, int size)
        => await AssertRefusedAsync(badCall, exceptionType, transport, size);

    [TestCase("unsupported-op", nameof(NotSupportedException), "shm", 2)]
    [TestCase("unsupported-op", nameof(NotSupportedException), "tcp", 3)]
    [TestCase("unsupported-op", nameof(NotSupportedException), "nic", 2)]
    public async Task An_op_the_element_type_does_not_support_throws_before_anything_is_sent(string badCall, string exceptionType, string transport, int size)
        => await AssertRefusedAsync(badCall, exceptionType, transport, size);

    [TestCase("use-after-dispose", nameof(ObjectDisposedException), "shm", 3)]
    [TestCase("use-after-dispose", nameof(ObjectDisposedException), "tcp", 2)]
    public async Task A_call_on_a_disposed_communicator_throws_ObjectDisposedException(string badCall, string exceptionType, string transport, int size)
        => await AssertRefusedAsync(badCall, exceptionType, transport, size);

    [TestCase("concurrent-calls", nameof(InvalidOperationException), "shm", 2)]
    [TestCase("concurrent-calls", nameof(InvalidOperationException), "tcp", 3)]
    [TestCase("concurrent-calls", nameof(InvalidOperationException), "nic", 2)]
    public async Task A_second_thread_calling_while_a_call_is_in_progress_is_refused_and_the_first_call_completes(string badCall, string exceptionType, string transport, int size)
        => await AssertRefusedAsync(badCall, exceptionType, transport, size);

    private static async Task AssertRefusedAsync(string badCall, string exceptionType, string transport, int size)
    {
        int offender = size - 1;

        FinishedJob job = await ProcessJob.RunAsync(new ProcessJobRun(transport, size, "bad-call", Timeout)
        {
            Arguments = [badCall, offender.ToString(CultureInfo.InvariantCulture)],
        });

        MatrixTable.Record($"bad call: {badCall}", transport, size, null,
            job.Reports.Select(report => report.Rank == offender ? $"{report.Outcome} ({report.Detail.Split(';')[0]})" : report.Outcome));
        string reports = ProcessJob.Describe(job.Reports);
        Assert.That(job.Reports.Select(report => report.Outcome), Has.All.EqualTo("OK"), reports);
        Assert.That(job.Reports.Single(report => report.Rank == offender).Detail, Does.StartWith($"the bad call threw {exceptionType};"), reports);
        Assert.That(job.Reports.Where(report => report.Rank != offender).Select(report => report.Detail), Has.All.StartWith("the bad call threw nothing (not the offender)"), reports);
    }
}
