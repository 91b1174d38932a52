using Collectives.Launcher.Tests.Support;

namespace Collectives.Launcher.Tests;

/// <summary>A local client that connects to collrun's rendezvous server in a loop cannot flood collrun's standard error.</summary>
public class RefusalLogTests
{
    [Test]
    public async Task Two_hundred_refused_connections_give_a_few_lines_and_a_summary_not_a_line_each()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(1, [], "flood-rendezvous", "200");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        Assert.That(CollrunRun.RankLines(run.StandardOutput, 0), Is.EqualTo(new[] { "flooded 200" }));
        string[] refusals = [.. run.StandardError.Lines.Where(line => line.Contains("Rendezvous server refused a connection", StringComparison.Ordinal))];
        string[] summaries = [.. run.StandardError.Lines.Where(line => line.Contains("more connections in the last", StringComparison.Ordinal))];

        // 5 lines per 10-second window: the bound holds however slowly the machine runs the flood.
        Assert.That(refusals, Has.Length.InRange(5, 5 * (summaries.Length + 1)), run.StandardError.Text);
        Assert.That(summaries, Is.Not.Empty, run.StandardError.Text);
        Assert.That(refusals.Length + SummarisedCount(summaries), Is.EqualTo(200), run.StandardError.Text);
    }

    private static long SummarisedCount(IEnumerable<string> summaries)
        => summaries.Sum(line => long.Parse(line[(line.IndexOf("refused ", StringComparison.Ordinal) + "refused ".Length)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
}
