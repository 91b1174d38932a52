using Collectives.Bootstrap;
using Collectives.Launcher.Jobs;
using Collectives.Launcher.Signals;
using Collectives.Launcher.Tests.Support;

namespace Collectives.Launcher.Tests;

/// <summary>
/// When a job fails, collrun prints every rank's last collective calls side by side, from the
/// flight records the ranks wrote when their call failed or when collrun stopped them.
/// </summary>
public class FlightReportTests
{
    // Ranks that are not the failing one sleep this long: collrun must stop them, not wait.
    private const string Long = "60";

    /// <summary>The number of a job's first program call: the joining Barrier and ConnectAsync's warm-up come before it.</summary>
    private const ulong FirstProgramCall = 1 + ConnectWarmUp.CallCount + 1;

    /// <summary>The number of the test program's third Allreduce, the last that both ranks make.</summary>
    private const ulong ThirdAllreduce = FirstProgramCall + 2;

    [Test]
    public async Task A_rank_that_stops_calling_shows_as_not_begun_beside_the_rank_that_timed_out_waiting_for_it()
    {
        // Both ranks join (the joining Barrier and ConnectAsync's warm-up) and make three Allreduce
        // calls; rank 1 then sleeps while rank 0 makes a fourth and times out. Rank 1's record is the
        // one it writes when collrun stops it.
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(
            2, ["--timeout", "2"], "join", "allreduce", "3", "if-rank", "1", "sleep", Long, "allreduce", "1");

        Assert.That(await run.ExitCodeAsync(), Is.Not.Zero);
        string[] table = ReportLines(run);
        Assert.That(table[0], Does.Match(@"^\s*call\s+rank 0\s+rank 1$"), run.StandardError.Text);
        Assert.That(table[^1], Does.Match($@"^\s*#{ThirdAllreduce + 1} Allreduce\(Sum, 4 x Int32\) \[\w+\]\s+failed \(timeout\) waiting on rank 1\s+-$"), run.StandardError.Text);
        Assert.That(table[^2], Does.Match($@"^\s*#{ThirdAllreduce} Allreduce\(Sum, 4 x Int32\) \[\w+\]\s+completed\s+completed$"), run.StandardError.Text);
    }

    [Test]
    public async Task A_job_stopped_from_outside_prints_where_each_rank_was()
    {
        using CollrunRun run = CollrunRun.Start(
            "-n", "2", "--", CollrunRun.TestProgram, "join", "allreduce", "3", "say", "ready", "if-rank", "1", "sleep", Long, "allreduce", "1");
        bool ready = await run.StandardOutput.WaitUntilAsync(text => text.Split('\n').Count(line => line.EndsWith("] ready", StringComparison.Ordinal)) == 2, CollrunRun.Limit);
        Assert.That(ready, Is.True, "the ranks never got ready:\n" + run.StandardError.Text);

        run.Interrupts.Raise(UnixSignal.SigTerm);

        Assert.That(await run.ExitCodeAsync(), Is.Not.Zero);
        Assert.That(ReportLines(run), Has.Some.Match($@"^\s*#{ThirdAllreduce} Allreduce\(Sum, 4 x Int32\) \[\w+\]\s+completed\s+completed$"), run.StandardError.Text);
    }

    [Test]
    public async Task A_job_that_succeeds_prints_no_report()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(2, [], "join", "allreduce", "2");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        Assert.That(run.StandardError.Text, Does.Not.Contain("flight records"));
    }

    [Test]
    public void A_call_a_rank_made_differently_shows_that_ranks_own_call_in_its_cell()
    {
        using var directory = new TemporaryDirectory();
        WriteRecord(directory.Path, rank: 0, size: 3, (1, "Allreduce(Sum, 4 x Int32) [ring]", "failed (mismatch)"));
        WriteRecord(directory.Path, rank: 1, size: 3, (1, "Allreduce(Sum, 4 x Int32) [ring]", "failed (mismatch)"));
        WriteRecord(directory.Path, rank: 2, size: 3, (1, "Broadcast(4 x Int32, root 0) [binomial_tree]", "failed (mismatch)"));

        IReadOnlyList<string> report = FlightReport.For(directory.Path, size: 3, ranks: Enumerable.Range(0, 3));

        Assert.That(report[^1], Is.EqualTo(
            "  #1 Allreduce(Sum, 4 x Int32) [ring]   failed (mismatch)   failed (mismatch)   failed (mismatch): Broadcast(4 x Int32, root 0) [binomial_tree]"));
    }

    [Test]
    public void A_rank_that_wrote_no_record_is_named()
    {
        using var directory = new TemporaryDirectory();
        WriteRecord(directory.Path, rank: 0, size: 2, (1, "Barrier [dissemination]", "waiting on rank 1"));

        IReadOnlyList<string> report = FlightReport.For(directory.Path, size: 2, ranks: Enumerable.Range(0, 2));

        Assert.That(report[^1], Does.StartWith("  no record from rank 1:"));
    }

    [Test]
    public void Only_the_newest_calls_are_shown()
    {
        using var directory = new TemporaryDirectory();
        (ulong, string, string)[] calls = [.. Enumerable.Range(1, 20).Select(sequence => ((ulong)sequence, "Barrier [dissemination]", "completed"))];
        WriteRecord(directory.Path, rank: 0, size: 1, calls);

        IReadOnlyList<string> report = FlightReport.For(directory.Path, size: 1, ranks: Enumerable.Range(0, 1));

        string[] shown = [.. report.Skip(2).Select(line => line.Trim().Split(' ')[0])];
        Assert.That(shown, Is.EqualTo(Enumerable.Range(13, FlightReport.CallsShown).Select(sequence => $"#{sequence}")));
    }

    [Test]
    public void No_record_gives_no_report()
    {
        using var directory = new TemporaryDirectory();

        Assert.That(FlightReport.For(directory.Path, size: 4, ranks: Enumerable.Range(0, 4)), Is.Empty);
    }

    /// <summary>The report's table: the lines after collrun's heading, up to the note on missing ranks.</summary>
    private static string[] ReportLines(CollrunRun run)
    {
        string[] lines = [.. run.StandardError.Lines];
        int heading = Array.FindIndex(lines, line => line.StartsWith("collrun: the ranks' last collective calls", StringComparison.Ordinal));
        Assert.That(heading, Is.Not.Negative, "no flight report:\n" + run.StandardError.Text);
        return [.. lines.Skip(heading + 1).TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("  no record", StringComparison.Ordinal))];
    }

    /// <summary>A rank's record file in the format the library writes, read back through <see cref="FlightReport"/>.</summary>
    private static void WriteRecord(string directory, int rank, int size, params (ulong Sequence, string Call, string State)[] calls)
    {
        var lines = new List<string> { "collectives flight record v1", $"rank\t{rank}\tsize\t{size}" };
        lines.AddRange(calls.Select(call => $"{call.Sequence}\t{call.State}\t{DateTimeOffset.UtcNow.UtcTicks}\t{TimeSpan.FromMilliseconds(1).Ticks}\t{call.Call}"));
        File.WriteAllLines(Path.Combine(directory, $"rank-{rank}.1.1.flight"), lines);
    }

    private sealed class TemporaryDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("flight-report-test-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
