namespace Collectives.Tests.MultiProcess;

/// <summary>
/// The collectives over TCP with every rank a separate process: a representative subset of the
/// correctness suite (every algorithm, several types and operations, every root, counts from 0 to
/// above the segment size). The faults are in the fault matrix (FaultMatrix/), over every transport.
/// </summary>
[Parallelizable(ParallelScope.None)]
[Category("MultiProcess")]
public class TcpProcessTests
{
    private static readonly TimeSpan Timeout = ProcessJob.CollectiveTimeout;
    private static readonly TimeSpan Deadline = ProcessJob.JobDeadline;

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(8)]
    public async Task The_matrix_subset_gives_every_rank_the_sequential_reference_result(int size)
    {
        RankReport[] reports = await ProcessJob.RunAsync(size, "matrix", Timeout, Deadline, null, "256");

        Assert.That(reports.Select(report => report.Outcome), Has.All.EqualTo("OK"), Describe(reports));
        Assert.That(reports.Select(report => report.ExitCode), Has.All.Zero, Describe(reports));
    }

    private static string Describe(RankReport[] reports) => ProcessJob.Describe(reports);
}
