using System.Diagnostics;
using System.Globalization;
using Collectives.Launcher.Tests.Support;
using Collectives.Transport.SharedMemory;

namespace Collectives.Launcher.Tests;

/// <summary>Whatever happens to the ranks, a job run by collrun leaves nothing of its own in /dev/shm.</summary>
[Platform("Linux")]
public class SharedMemoryLeftoverTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_rank_killed_between_creating_its_segment_and_announcing_it_leaves_nothing_in_dev_shm()
    {
        string jobId = $"leftover-{Guid.NewGuid():N}";
        string prefix = SharedMemoryTransport.SegmentNamePrefix(jobId);
        using CollrunRun run = CollrunRun.Start(
            "-n", "2", "--transport", "shm", "--job-id", jobId, "--grace-period", "1", "--", CollrunRun.TestProgram, "pid", "announce-late", "60", "connect");

        int rankZero = await PidOfRankZeroAsync(run);
        string[] created = await SegmentsAsync(prefix);
        Assert.That(created, Has.Length.EqualTo(1), "rank 0 should have created its segment and be waiting to announce it");
        using (Process process = Process.GetProcessById(rankZero))
        {
            process.Kill();
        }

        Assert.That(await run.ExitCodeAsync(), Is.Not.Zero);
        Assert.That(Directory.GetFiles("/dev/shm", prefix + "*"), Is.Empty, run.StandardError.Text);
    }

    private static async Task<int> PidOfRankZeroAsync(CollrunRun run)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            if (CollrunRun.RankLines(run.StandardOutput, 0).FirstOrDefault(line => line.StartsWith("pid ", StringComparison.Ordinal)) is { } line)
            {
                return int.Parse(line[4..], CultureInfo.InvariantCulture);
            }

            Assert.That(run.Completion.IsCompleted, Is.False, "collrun ended before rank 0 started:\n" + run.StandardError.Text);
            await Task.Delay(20);
        }

        Assert.Fail($"rank 0 did not print its pid within {Patience.TotalSeconds} s:\n{run.StandardError.Text}");
        return -1;
    }

    private static async Task<string[]> SegmentsAsync(string prefix)
    {
        var clock = Stopwatch.StartNew();
        string[] segments = [];
        while (segments.Length == 0 && clock.Elapsed < Patience)
        {
            await Task.Delay(20);
            segments = Directory.GetFiles("/dev/shm", prefix + "*");
        }

        return segments;
    }
}
