using System.Globalization;
using Collectives.Transport;

namespace Collectives.Tests.MultiProcess.FaultMatrix;

/// <summary>
/// The fault matrix, rank faults: one rank of a real multi-process job dies, stops or leaves at a
/// chosen point, over shared memory, TCP and the offload NIC (over shared memory), 2 to 5 ranks.
/// Every survivor ends with a typed exception naming that rank within the bound each test states;
/// <see cref="ProcessJob"/> fails any case that leaves a process or a /dev/shm segment behind.
/// Each case prints its row of the outcome table (see <see cref="MatrixTable"/>).
/// </summary>
[Parallelizable(ParallelScope.None)]
[Category("MultiProcess")]
[Category("FaultMatrix")]
[Platform("Linux")]
public class RankFailureMatrixTests
{
    /// <summary>
    /// The collective (and connect) timeout of the jobs where a death is detected: long enough for
    /// five dotnet processes to join on two busy cores, and twice <see cref="DeathBound"/>, so a
    /// death reported by the timeout rather than by its detection fails the test.
    /// </summary>
    private static readonly TimeSpan DeathTimeout = TimeSpan.FromSeconds(10);

    /// <summary>From a rank's death to every survivor's error (measured 0.03-0.2 s on an idle machine).</summary>
    private static readonly TimeSpan DeathBound = TimeSpan.FromSeconds(5);

    /// <summary>The timeout of the jobs where the timeout is what is tested: short, but enough for the ranks to connect.</summary>
    private static readonly TimeSpan SilenceTimeout = TimeSpan.FromSeconds(4);

    /// <summary>From the fault to every survivor's error when it comes by the timeout: the timeout plus slack for a loaded machine.</summary>
    private static readonly TimeSpan SilenceBound = SilenceTimeout + TimeSpan.FromSeconds(6);

    [TestCase("shm", 3)]
    [TestCase("tcp", 4)]
    [TestCase("nic", 2)]
    public async Task A_rank_killed_mid_call_makes_every_survivor_throw_PeerFailedException_naming_it(string transport, int size)
    {
        int victim = size - 1;

        FinishedJob job = await RunAsync(transport, size, "kill-mid-call", DeathTimeout, victim);

        Survivors.AssertEndedWith(job, "SIGKILL mid-call", transport, size, victim, nameof(PeerFailedException), $"Rank {victim} failed", DeathBound);
    }

    [TestCase("shm", 4)]
    [TestCase("tcp", 2)]
    public async Task A_rank_killed_mid_connect_makes_every_survivor_fail_to_connect_with_PeerFailedException_naming_it(string transport, int size)
    {
        int victim = size - 1;

        // A rank that dies before it published how to reach it can only be told from one that is
        // slow to join by the connect timeout. Rank 0 starts connecting 1 s late on purpose, so the
        // timeout leaves the others 4 s of slack to start before they would blame rank 0 instead.
        TimeSpan timeout = TimeSpan.FromSeconds(5);

        FinishedJob job = await RunAsync(transport, size, "kill-mid-connect", timeout, victim);

        Survivors.AssertEndedWith(job, "SIGKILL mid-connect", transport, size, victim, nameof(PeerFailedException), $"Rank {victim} failed", timeout + SilenceBound - SilenceTimeout);
    }

    [TestCase("shm", 5)]
    [TestCase("tcp", 3)]
    [TestCase("nic", 3)]
    public async Task A_rank_killed_between_calls_makes_every_survivor_throw_PeerFailedException_naming_it(string transport, int size)
    {
        int victim = size - 1;

        FinishedJob job = await RunAsync(transport, size, "leave-between-calls", DeathTimeout, victim, "kill");

        Survivors.AssertEndedWith(job, "SIGKILL between calls", transport, size, victim, nameof(PeerFailedException), $"Rank {victim} failed", DeathBound);
    }

    [TestCase("shm", 3)]
    [TestCase("shm", 5)]
    [TestCase("tcp", 3)]
    [TestCase("tcp", 5)]
    public async Task A_rank_that_exits_without_disposing_makes_every_survivor_throw_PeerFailedException_naming_it(string transport, int size)
    {
        int victim = size - 1;

        FinishedJob job = await RunAsync(transport, size, "leave-between-calls", DeathTimeout, victim, "exit");

        Survivors.AssertEndedWith(job, "exit without dispose", transport, size, victim, nameof(PeerFailedException), $"Rank {victim} failed", DeathBound);
        Assert.That(job.Reports.Single(report => report.Rank == victim).ExitCode, Is.EqualTo(42), ProcessJob.Describe(job.Reports));
    }

    [TestCase("shm", 3)]
    [TestCase("tcp", 4)]
    [TestCase("nic", 2)]
    public async Task A_stopped_rank_makes_every_survivor_throw_CollectiveTimeoutException_at_the_timeout_naming_it_or_the_rank_waiting_for_it(string transport, int size)
    {
        int victim = size - 1;

        FinishedJob job = await RunAsync(transport, size, "leave-between-calls", SilenceTimeout, victim, "stop");

        Survivors.AssertTimedOutWaitingOn(job, "SIGSTOP (silent)", transport, size, victim, SilenceBound);
    }

    [TestCase("shm", 3)]
    [TestCase("tcp", 3)]
    public async Task A_rank_that_skips_a_collective_makes_the_others_throw_CollectiveTimeoutException_naming_it(string transport, int size)
    {
        const int silent = 1;

        FinishedJob job = await ProcessJob.RunAsync(new ProcessJobRun(transport, size, "skip-collective", TimeSpan.FromSeconds(2)) { Arguments = [Text(silent)], Lingering = [silent] });

        Survivors.AssertEndedWith(job, "skips a collective", transport, size, silent, nameof(CollectiveTimeoutException), $"for rank {silent}", TimeSpan.FromSeconds(2) + SilenceBound - SilenceTimeout);
    }

    [TestCase("shm")]
    [TestCase("tcp")]
    public async Task A_rank_that_never_joins_makes_the_others_fail_to_connect_naming_it(string transport)
    {
        FinishedJob job = await ProcessJob.RunAsync(new ProcessJobRun(transport, 4, "matrix", TimeSpan.FromSeconds(3)) { StartedRanks = [0, 1, 2] });

        Survivors.AssertEndedWith(job, "never joins", transport, 4, 3, nameof(PeerFailedException), "Rank 3", TimeSpan.FromSeconds(3) + SilenceBound - SilenceTimeout);
    }

    [TestCase("shm", 2)]
    [TestCase("shm", 4)]
    [TestCase("tcp", 2)]
    [TestCase("tcp", 4)]
    public async Task Mismatched_calls_across_processes_throw_CollectiveMismatchException_on_every_rank(string transport, int size)
    {
        FinishedJob job = await ProcessJob.RunAsync(new ProcessJobRun(transport, size, "mismatch", DeathTimeout));

        // Rank 0 reduces one element more than the others: every rank, rank 0 included, names the call it disagrees with.
        Survivors.AssertEndedWith(job, "mismatched calls", transport, size, culprit: -1, nameof(CollectiveMismatchException), "called", DeathTimeout);
    }

    private static Task<FinishedJob> RunAsync(string transport, int size, string scenario, TimeSpan timeout, int victim, params string[] more)
        => ProcessJob.RunAsync(new ProcessJobRun(transport, size, scenario, timeout)
        {
            Arguments = [Text(victim), .. more],
            Lingering = more.Contains("stop") ? [victim] : [],
        });

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
