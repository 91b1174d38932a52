using Collectives.Launcher.Tests.Support;

namespace Collectives.Launcher.Tests;

public class CommandLineTests
{
    private static readonly System.CommandLine.Option[] Options =
    [
        new System.CommandLine.Option<int>("--np", "-n"),
        new System.CommandLine.Option<double?>("--timeout"),
        new System.CommandLine.Option<bool>("--flag"),
    ];

    [TestCase(new[] { "-n", "4", "./app", "-n", "10" }, new[] { "-n", "4" }, new[] { "./app", "-n", "10" })]
    [TestCase(new[] { "-n", "4", "--", "./app", "--timeout", "1" }, new[] { "-n", "4" }, new[] { "./app", "--timeout", "1" })]
    [TestCase(new[] { "-n4", "--flag", "app" }, new[] { "-n4", "--flag" }, new[] { "app" })]
    [TestCase(new[] { "--np=2", "--timeout", "-1", "app", "--" }, new[] { "--np=2", "--timeout", "-1" }, new[] { "app", "--" })]
    [TestCase(new[] { "-n", "2" }, new[] { "-n", "2" }, new string[0])]
    [TestCase(new[] { "--flag", "false", "app" }, new[] { "--flag", "false" }, new[] { "app" })]
    public void The_program_starts_at_the_first_word_that_is_not_an_option_or_its_value(string[] args, string[] launcher, string[] program)
    {
        (string[] launcherPart, string[] programPart, string[] unknown) = CommandLineSplitter.Split(args, Options);

        Assert.That(launcherPart, Is.EqualTo(launcher));
        Assert.That(programPart, Is.EqualTo(program));
        Assert.That(unknown, Is.Empty);
    }

    [TestCase(new[] { "-n", "2", "--frobnicate", "app" }, new[] { "--frobnicate" })]
    [TestCase(new[] { "-x", "-n2", "--np:2", "--", "app", "--frobnicate" }, new[] { "-x" })]
    [TestCase(new[] { "--np2", "--flag=true", "app", "--other" }, new[] { "--np2" })]
    public void Words_before_the_program_that_are_no_option_of_collrun_are_reported(string[] args, string[] expected)
        => Assert.That(CommandLineSplitter.Split(args, Options).Unknown, Is.EqualTo(expected));

    [Test]
    public async Task The_programs_own_options_reach_it_even_without_a_double_dash()
    {
        using CollrunRun run = await CollrunRun.RunAsync("-n", "1", "--timeout", "3", CollrunRun.TestProgram, "say", "-n", "env", "COLLECTIVES_TIMEOUT");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        Assert.That(CollrunRun.RankLines(run.StandardOutput, 0), Is.EqualTo(new[] { "-n", "COLLECTIVES_TIMEOUT=3" }));
    }

    [Test]
    public async Task Two_options_with_the_same_value_both_take_effect()
    {
        using CollrunRun run = await CollrunRun.RunAsync("-n", "2", "--timeout", "2", "--", CollrunRun.TestProgram, "env", "COLLECTIVES_SIZE", "COLLECTIVES_TIMEOUT");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        Assert.That(CollrunRun.RankLines(run.StandardOutput, 1), Is.EqualTo(new[] { "COLLECTIVES_SIZE=2", "COLLECTIVES_TIMEOUT=2" }));
    }

    [TestCase(new[] { "--", "app" }, "-n (--np) is required")]
    [TestCase(new[] { "-n", "2" }, "Required argument 'program' missing")]
    [TestCase(new[] { "-n", "two", "app" }, "Cannot parse argument 'two'")]
    [TestCase(new[] { "-n", "0", "app" }, "-n=0 is out of range; it accepts a whole number from 1 to 4096.")]
    [TestCase(new[] { "-n", "100000", "app" }, "-n=100000 is out of range; it accepts a whole number from 1 to 4096.")]
    [TestCase(new[] { "-n", "1e300", "app" }, "Cannot parse argument '1e300'")]
    [TestCase(new[] { "-n", "-1", "app" }, "-n=-1 is out of range; it accepts a whole number from 1 to 4096.")]
    [TestCase(new[] { "-n", "NaN", "app" }, "Cannot parse argument 'NaN'")]
    [TestCase(new[] { "-n", "Infinity", "app" }, "Cannot parse argument 'Infinity'")]
    [TestCase(new[] { "-n", "1", "--timeout", "0", "app" }, "--timeout=0 is out of range; it accepts from 0.001 to 2147483.647 seconds.")]
    [TestCase(new[] { "-n", "1", "--timeout", "-1", "app" }, "--timeout=-1 is out of range; it accepts from 0.001 to 2147483.647 seconds.")]
    [TestCase(new[] { "-n", "1", "--timeout", "1e300", "app" }, "--timeout=1E+300 is out of range; it accepts from 0.001 to 2147483.647 seconds.")]
    [TestCase(new[] { "-n", "1", "--timeout", "NaN", "app" }, "--timeout=NaN is out of range; it accepts from 0.001 to 2147483.647 seconds.")]
    [TestCase(new[] { "-n", "1", "--timeout", "Infinity", "app" }, "--timeout=Infinity is out of range; it accepts from 0.001 to 2147483.647 seconds.")]
    [TestCase(new[] { "-n", "1", "--timeout", "soon", "app" }, "Cannot parse argument 'soon'")]
    [TestCase(new[] { "-n", "1", "--grace-period", "-2", "app" }, "--grace-period=-2 is out of range; it accepts from 0 to 2147483.647 seconds.")]
    [TestCase(new[] { "-n", "1", "--grace-period", "1e300", "app" }, "--grace-period=1E+300 is out of range; it accepts from 0 to 2147483.647 seconds.")]
    [TestCase(new[] { "-n", "1", "--grace-period", "NaN", "app" }, "--grace-period=NaN is out of range; it accepts from 0 to 2147483.647 seconds.")]
    [TestCase(new[] { "-n", "1", "--grace-period", "-Infinity", "app" }, "--grace-period=-Infinity is out of range; it accepts from 0 to 2147483.647 seconds.")]
    [TestCase(new[] { "-n", "1", "--grace-period", "later", "app" }, "Cannot parse argument 'later'")]
    [TestCase(new[] { "-n", "1", "--bind", "example.org", "app" }, "--bind wants an IP address")]
    [TestCase(new[] { "-n", "1", "--transport", "", "app" }, "--transport wants auto, shm, tcp or nic (got '')")]
    [TestCase(new[] { "-n", "1", "--transport", "bogus", "app" }, "--transport wants auto, shm, tcp or nic (got 'bogus')")]
    [TestCase(new[] { "-n", "1", "--bind-to", "socket", "app" }, "--bind-to wants auto, core or none (got 'socket')")]
    [TestCase(new[] { "-n", "1", "--secret-file", "/nonexistent/secret", "app" }, "cannot read --secret-file '/nonexistent/secret'")]
    public async Task A_bad_command_line_is_a_usage_error_with_the_reason(string[] args, string reason)
    {
        using CollrunRun run = await CollrunRun.RunAsync(args);

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(2));
        Assert.That(run.StandardError.Text, Does.Contain(reason));
        Assert.That(run.StandardOutput.Text, Is.Empty);
    }

    [TestCase(new[] { "-n", "2", "--frobnicate", "app" }, "collrun: unknown option '--frobnicate'")]
    [TestCase(new[] { "-n", "2", "--frobnicate", "--", "app" }, "collrun: unknown option '--frobnicate'")]
    [TestCase(new[] { "--frobnicate", "-n", "2", "app", "--frobnicate" }, "collrun: unknown option '--frobnicate'")]
    [TestCase(new[] { "-n", "2" }, "Required argument 'program' missing")]
    public async Task An_unknown_option_or_a_parse_error_is_a_usage_error_with_the_usage_line(string[] args, string reason)
    {
        using CollrunRun run = await CollrunRun.RunAsync(args);

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(2));
        Assert.That(run.StandardError.Text, Does.Contain(reason));
        Assert.That(run.StandardError.Lines.Count(line => line.Contains("unknown option", StringComparison.Ordinal)), Is.LessThanOrEqualTo(1));
        Assert.That(run.StandardError.Lines, Has.One.EqualTo("collrun: " + CollrunCommand.Usage));
        Assert.That(run.StandardOutput.Text, Is.Empty);
    }

    [Test]
    public async Task Options_after_the_program_are_the_programs_even_unknown_to_collrun()
    {
        using CollrunRun run = await CollrunRun.RunAsync("-n", "1", "--transport", "TCP", CollrunRun.TestProgram, "--frobnicate");

        // TestProgram itself refuses the word (exit 64), so collrun did start it.
        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(64), run.StandardError.Text);
        Assert.That(run.StandardError.Text, Does.Contain("TestProgram: unknown command '--frobnicate'"));
    }

    [Test]
    public async Task Help_describes_the_options()
    {
        using CollrunRun run = await CollrunRun.RunAsync("--help");

        Assert.That(await run.ExitCodeAsync(), Is.Zero);
        Assert.That(run.StandardOutput.Text, Does.Contain("--np").And.Contain("--transport").And.Contain("--timeout").And.Contain("--bind")
            .And.Contain("--job-id").And.Contain("--secret-file").And.Contain("--grace-period").And.Contain("--bind-to"));
    }
}
