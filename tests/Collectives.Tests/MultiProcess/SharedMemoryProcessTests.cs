using Collectives.Transport;

namespace Collectives.Tests.MultiProcess;

/// <summary>
/// The collectives over shared memory with every rank a separate process (COLLECTIVES_TRANSPORT=shm):
/// the matrix subset with every algorithm forced (shared-memory and message-passing), on 1 to 8
/// processes, and the choice of shared memory by auto. Every run also fails if a segment of the
/// job is left in /dev/shm, crashes included (see <see cref="ProcessJob"/>). The faults are in the
/// fault matrix (FaultMatrix/), over every transport.
/// </summary>
[Parallelizable(ParallelScope.None)]
[Category("MultiProcess")]
[Platform("Linux")]
public class SharedMemoryProcessTests
{
    private static readonly TimeSpan Timeout = ProcessJob.CollectiveTimeout;
    private static readonly TimeSpan Deadline = ProcessJob.JobDeadline;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    [TestCase(8)]
    public async Task The_matrix_subset_with_every_algorithm_gives_every_rank_the_sequential_reference_result(int size)
    {
        RankReport[] reports = await ProcessJob.RunAsync("shm", size, "matrix", Timeout, Deadline, null, "256");

        Assert.That(reports.Select(report => report.Outcome), Has.All.EqualTo("OK"), Describe(reports));
        Assert.That(reports.Select(report => report.Detail), Has.All.Contains("over shm"), Describe(reports));
    }

    [TestCase(2)]
    [TestCase(3)]
    public async Task Rank_0_killed_between_creating_its_segment_and_announcing_it_makes_the_others_fail_naming_it_and_leaves_nothing_in_dev_shm(int size)
    {
        // ProcessJob fails the run if anything of the job is left in /dev/shm.
        RankReport[] reports = await ProcessJob.RunAsync("shm", size, "die-before-announcing-segment", TimeSpan.FromSeconds(5), Deadline);

        RankReport[] survivors = [.. reports.Where(report => report.Rank != 0)];
        Assert.That(survivors.Select(report => report.Outcome), Has.All.EqualTo(nameof(PeerFailedException)), Describe(reports));
        Assert.That(survivors.Select(report => report.Detail), Has.All.Contains("Rank 0 failed").And.All.Contains("did not announce the shared-memory segment"), Describe(reports));
        Assert.That(reports.Single(report => report.Rank == 0).ExitCode, Is.EqualTo(137), "rank 0 should have been killed by SIGKILL" + Describe(reports));
    }

    [Test]
    public async Task Auto_on_one_host_chooses_shared_memory()
    {
        RankReport[] reports = await ProcessJob.RunAsync("auto", 2, "matrix", Timeout, Deadline, null, "256");

        Assert.That(reports.Select(report => report.Detail), Has.All.Contains("over shm"), Describe(reports));
    }

    private static string Describe(RankReport[] reports) => ProcessJob.Describe(reports);
}
