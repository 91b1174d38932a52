using Collectives.Benchmarks.Tests.Support;

namespace Collectives.Benchmarks.Tests;

public class CollSimCommandLineTests
{
    [TestCase("--nodes", "0:4", "--nodes: '0:4' has a value below 1.")]
    [TestCase("--nodes", "3:16", "--nodes: '3:16' lists powers of two, so it must start at one (3 is not)")]
    [TestCase("--nodes", "16:4", "--nodes: '16:4' is empty: 16 > 4.")]
    [TestCase("--nodes", "1:2000000000:1", "--nodes: '1:2000000000:1' has more than 4096 values.")]
    [TestCase("--nodes", "4,many", "--nodes: 'many' is not an integer.")]
    [TestCase("--nodes", ",", "--nodes: ',' lists no value.")]
    [TestCase("--bytes", "8:56:0", "--bytes: '8:56:0' needs a positive step (got 0).")]
    [TestCase("--bytes", "8:56:8:1", "--bytes: '8:56:8:1' is not a number, a:b (powers of two) or a:b:step.")]
    [TestCase("--fanin", "1", "--fanin values must be 0 (binomial) or 2..8.")]
    [TestCase("--types", "float,half", "--types: 'half' is not one of double, float, int, long.")]
    [TestCase("--topology", "fattree,crossbar", "--topology takes one of fattree or crossbar")]
    [TestCase("--repeat", "0", "--repeat must be at least 1 (got 0).")]
    [TestCase("--noise", "1000", "--noise: '1000' is not <mean interval µs>:<detour µs>")]
    [TestCase("--frobnicate", "4", "Unrecognized command or argument '--frobnicate'")]
    [TestCase("--arity", "1", "FatTreeArity must be at least 2.")]
    public async Task Every_bad_value_is_a_usage_error_with_a_message(string option, string value, string message)
    {
        ToolRun run = await ToolRun.RunAsync("collsim", option, value);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.StandardError);
        Assert.That(run.ErrorLines, Has.Some.StartsWith("collsim: ").And.Contains(message));
        Assert.That(run.ErrorLines, Has.All.StartsWith("collsim: "), "one line per message, no stack trace");
        Assert.That(run.StandardOutput, Is.Empty);
    }

    [Test]
    public async Task A_good_small_sweep_runs()
    {
        ToolRun run = await ToolRun.RunAsync("collsim", "--nodes", "4:8", "--bytes", "8", "--collectives", "allreduce");

        Assert.That(run.ExitCode, Is.Zero, run.StandardError);
        Assert.That(run.StandardOutput, Does.Contain("collsim: 4 points"));
    }
}
