using Collectives.Benchmarks.Tests.Support;
using Collectives.CollBench.FirstCalls;

namespace Collectives.Benchmarks.Tests;

public class FirstCallsTests
{
    private static string CollBench => Path.Combine(AppContext.BaseDirectory, "collbench.dll");

    [Test]
    public void Steady_is_the_median_of_the_second_half_from_call_n_over_2()
    {
        // Calls 5..10 (1-based): 5, 6, 7, 8, 9, 100 -> median 7.5; the early outliers do not count.
        var report = new FirstCallsReport(8, [1000, 50, 20, 9, 5, 6, 7, 8, 9, 100]);

        Assert.That(report.SteadyUs, Is.EqualTo(7.5));
        Assert.That(report.FirstRatio, Is.EqualTo(1000 / 7.5));
    }

    [Test]
    public void The_worst_of_the_first_few_names_its_call_and_looks_no_further_than_five_calls()
    {
        var report = new FirstCallsReport(8, [10, 30, 20, 10, 10, 90, 10, 10, 10, 10, 10, 10]);

        Assert.That(report.WorstOfFirstFew, Is.EqualTo((30.0, 2)));
        Assert.That(report.WorstRatio, Is.EqualTo(3.0));
    }

    [Test]
    public void With_few_calls_the_first_few_stay_within_the_first_half()
        => Assert.That(new FirstCallsReport(8, [1, 2, 50, 50]).WorstOfFirstFew, Is.EqualTo((2.0, 2)));

    [TestCase(null, "false", false)]
    [TestCase(null, null, true)]
    [TestCase("1", "false", true)]
    [TestCase("0", null, false)]
    [TestCase("0x0", null, true)]
    public void Tiered_compilation_follows_the_variable_over_the_runtimeconfig(string? variable, string? runtimeConfig, bool on)
        => Assert.That(
            TieredCompilationState.IsOn(name => name == TieredCompilationState.Variable ? variable : null, _ => runtimeConfig),
            Is.EqualTo(on));

    [Test]
    public async Task First_calls_with_tiered_compilation_off_is_a_usage_error_naming_the_variable()
    {
        ToolRun run = await ToolRun.RunAsync(new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" }, "collbench", "allreduce", "--first-calls", "10");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.StandardError);
        Assert.That(run.StandardError, Does.Contain("DOTNET_TieredCompilation=1"));
    }

    [Test]
    public async Task Too_few_first_calls_for_a_steady_state_is_a_usage_error()
    {
        ToolRun run = await ToolRun.RunAsync("collbench", "allreduce", "--first-calls", "3");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.StandardError);
        Assert.That(run.StandardError, Does.Contain("--first-calls must be at least 4"));
    }

    [Test]
    public async Task Under_collrun_it_reports_every_call_and_a_summary_per_size()
    {
        ToolRun run = await ToolRun.RunAsync(
            new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "1" },
            "collrun", "-n", "2", "--transport", "tcp", CollBench, "reduce", "--sizes", "8,64", "--first-calls", "4");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.StandardError);
        Assert.That(run.StandardOutput, Does.Contain("tiered compilation on"));
        Assert.That(run.StandardOutput, Does.Contain("summary: reduce,tcp,2,8,").And.Contain("summary: reduce,tcp,2,64,"));
    }
}
