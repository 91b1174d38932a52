using System.Text.RegularExpressions;
using Collectives.Launcher.Tests.Support;

namespace Collectives.Launcher.Tests;

public partial class OutputTests
{
    [Test]
    public async Task Each_line_is_prefixed_with_its_rank_on_the_stream_it_came_from()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(2, [], "say", "to stdout", "warn", "to stderr", "say", "again");

        Assert.That(await run.ExitCodeAsync(), Is.Zero);
        for (int rank = 0; rank < 2; rank++)
        {
            Assert.That(CollrunRun.RankLines(run.StandardOutput, rank), Is.EqualTo(new[] { "to stdout", "again" }));
            Assert.That(CollrunRun.RankLines(run.StandardError, rank), Is.EqualTo(new[] { "to stderr" }));
        }
    }

    [Test]
    public async Task Lines_of_ranks_writing_at_once_never_mix()
    {
        const int lines = 3000;
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(4, [], "lines", lines.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(await run.ExitCodeAsync(), Is.Zero);
        string[] output = run.StandardOutput.Lines;
        Assert.That(output, Has.Length.EqualTo(4 * lines));
        var next = new int[4];
        foreach (string line in output)
        {
            Match match = WholeLine().Match(line);
            Assert.That(match.Success, Is.True, $"a mixed or damaged line: '{line}'");
            int rank = int.Parse(match.Groups["rank"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(next[rank]++), $"rank {rank}'s lines out of order");
        }
    }

    [GeneratedRegex(@"^\[(?<rank>[0-3])\] line (?<line>\d+) of rank \k<rank> x{60}$")]
    private static partial Regex WholeLine();
}
