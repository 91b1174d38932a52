using Collectives.Launcher.Tests.Support;

namespace Collectives.Launcher.Tests;

public class ExitCodeTests
{
    // Ranks that are not the failing one sleep this long: collrun must end them, not wait.
    private const string Long = "60";

    [Test]
    public async Task All_ranks_succeeding_gives_zero()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(3, [], "say", "done");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        for (int rank = 0; rank < 3; rank++)
        {
            Assert.That(CollrunRun.RankLines(run.StandardOutput, rank), Is.EqualTo(new[] { "done" }));
        }

        Assert.That(run.StandardError.Text, Is.Empty);
    }

    [Test]
    public async Task One_rank_failing_with_3_gives_3_and_the_others_are_stopped()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(4, [], "if-rank", "1", "exit", "3", "say", "sleeping", "sleep", Long);

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(3));
        Assert.That(run.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "collrun waited for the sleeping ranks");
        Assert.That(run.StandardError.Text, Does.Contain("collrun: rank 1 exited with code 3; stopping the other 3 ranks."));
        Assert.That(run.StandardError.Lines.Count(line => line.StartsWith("collrun:", StringComparison.Ordinal)), Is.EqualTo(1),
            "ranks that collrun stopped were reported as failures too:\n" + run.StandardError.Text);
    }

    [Test]
    public async Task A_crashing_rank_is_named_with_its_signal_and_the_others_are_stopped()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(3, [], "if-rank", "2", "crash", "sleep", Long);

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(134));
        Assert.That(run.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
        Assert.That(run.StandardError.Text, Does.Contain("collrun: rank 2 was killed by SIGABRT (exit code 134); stopping the other 2 ranks."));
        Assert.That(CollrunRun.RankLines(run.StandardError, 2), Has.Some.Contains("rank 2 crashed on purpose"));
    }

    [Test]
    public async Task The_first_non_zero_exit_code_wins_over_those_of_ranks_collrun_stopped()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(3, [], "if-rank", "0", "exit", "5", "sleep", Long, "exit", "7");

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(5));
    }

    [Test]
    public async Task Ranks_that_ignore_the_stop_request_are_killed_after_the_grace_period()
    {
        // The rendezvous makes rank 0 fail only once every rank ignores signals (they publish after
        // installing the handlers), not while one is still starting and would die of SIGTERM.
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(
            3, ["--grace-period", "1"], "ignore-signals", "rendezvous", "if-rank", "0", "exit", "2", "sleep", Long);

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(2));
        Assert.That(run.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
        Assert.That(run.StandardError.Text, Does.Contain("collrun: ranks 1, 2 still running 1 s after being asked to stop; killing."));
    }
}
