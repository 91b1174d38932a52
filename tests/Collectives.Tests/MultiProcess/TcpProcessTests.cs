namespace Collectives.Tests.MultiProcess;

/// <summary>
/// The collectives over TCP with every rank a separate process: a representative subset of the
/// correctness suite (every algorithm, several types and operations, every root, counts from 0 to
/// above the segment size), and the faults that only real processes can show.
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

    [TestCase(3)]
    [TestCase(5)]
    public async Task A_rank_killed_mid_allreduce_makes_every_other_rank_throw_PeerFailedException_naming_it(int size)
    {
        int victim = size - 1;

        RankReport[] reports = await ProcessJob.RunAsync(size, "die-during-allreduce", Timeout, Deadline, null, victim.ToString(System.Globalization.CultureInfo.InvariantCulture));

        RankReport[] survivors = [.. reports.Where(report => report.Rank != victim)];
        Assert.That(survivors.Select(report => report.Outcome), Has.All.EqualTo(nameof(PeerFailedException)), Describe(reports));
        Assert.That(survivors.Select(report => report.Detail), Has.All.Contains($"Rank {victim} failed"), Describe(reports));
        Assert.That(reports.Single(report => report.Rank == victim).ExitCode, Is.EqualTo(42), Describe(reports));
    }

    [Test]
    public async Task A_rank_that_never_joins_makes_the_others_fail_to_connect_naming_it()
    {
        RankReport[] reports = await ProcessJob.RunAsync(4, "matrix", TimeSpan.FromSeconds(3), Deadline, startedRanks: [0, 1, 2]);

        Assert.That(reports.Select(report => report.Outcome), Has.All.EqualTo(nameof(PeerFailedException)), Describe(reports));
        Assert.That(reports.Select(report => report.Detail), Has.All.Contains("Rank 3"), Describe(reports));
    }

    [TestCase(2)]
    [TestCase(4)]
    public async Task Mismatched_calls_across_processes_throw_CollectiveMismatchException_on_every_rank(int size)
    {
        RankReport[] reports = await ProcessJob.RunAsync(size, "mismatch", Timeout, Deadline);

        Assert.That(reports.Select(report => report.Outcome), Has.All.EqualTo(nameof(CollectiveMismatchException)), Describe(reports));
    }

    [Test]
    public async Task A_rank_that_skips_a_collective_makes_the_others_throw_CollectiveTimeoutException()
    {
        RankReport[] reports = await ProcessJob.RunAsync(3, "skip-collective", TimeSpan.FromSeconds(2), Deadline, null, "1");

        RankReport[] waiting = [.. reports.Where(report => report.Rank != 1)];
        Assert.That(waiting.Select(report => report.Outcome), Has.All.EqualTo(nameof(CollectiveTimeoutException)), Describe(reports));
    }

    private static string Describe(RankReport[] reports) => ProcessJob.Describe(reports);
}
