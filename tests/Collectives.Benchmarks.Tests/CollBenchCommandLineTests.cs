using Collectives.Benchmarks.Tests.Support;

namespace Collectives.Benchmarks.Tests;

public class CollBenchCommandLineTests
{
    private static string CollBench => Path.Combine(AppContext.BaseDirectory, "collbench.dll");

    [TestCase(new[] { "allreduce", "--frobnicate" }, "collbench: Unrecognized command or argument '--frobnicate'.")]
    [TestCase(new[] { "allreduce", "--time-budget", "soon" }, "collbench: Cannot parse argument 'soon'")]
    [TestCase(new[] { "allreduce", "--sizes", "3" }, "collbench: 3 bytes is not a whole number of float32 elements")]
    [TestCase(new[] { "scan" }, "collbench: unknown collective 'scan'")]
    [TestCase(new[] { "compare", "--ranks", "1" }, "collbench compare:")]
    public async Task A_bad_command_line_exits_with_2_and_says_why(string[] args, string message)
    {
        ToolRun run = await ToolRun.RunAsync("collbench", args);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.StandardError);
        Assert.That(run.StandardError, Does.Contain(message));
    }

    [Test]
    public async Task Started_without_a_launcher_it_says_so_in_one_line()
    {
        ToolRun run = await ToolRun.RunAsync("collbench", "allreduce", "--sizes", "8");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.StandardError);
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(run.ErrorLines[0], Does.StartWith("collbench: ").And.Contain("COLLECTIVES_RANK").And.Contain("collrun"));
    }

    [Test]
    public async Task A_transport_this_build_lacks_is_one_line_from_one_rank()
    {
        // collrun checks its own --transport; a name set around it (as for mpirun or srun, which
        // check nothing) reaches the ranks, and their own check speaks.
        ToolRun run = await ToolRun.RunAsync(
            new Dictionary<string, string> { ["COLLECTIVES_TRANSPORT"] = "rdma" }, "collrun", "-n", "2", CollBench, "allreduce", "--sizes", "8", "--algorithms", "auto");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.StandardError);
        Assert.That(run.ErrorLines.Where(line => line.Contains("COLLECTIVES_TRANSPORT=rdma is not a transport", StringComparison.Ordinal)), Has.Exactly(1).StartsWith("[0] collbench: "), run.StandardError);
        Assert.That(run.ErrorLines, Has.None.Contains(" at Collectives."), "no stack trace");
    }

    [Test]
    public async Task With_Collectives_Offload_referenced_collrun_lets_nic_through_and_the_offload_algorithm_runs()
    {
        ToolRun run = await ToolRun.RunAsync("collrun", "-n", "2", "--transport", "nic", CollBench, "allreduce", "--sizes", "8", "--algorithms", "offload", "--time-budget", "0.01");

        Assert.That(run.ExitCode, Is.Zero, run.StandardError);
        Assert.That(run.StandardOutput, Does.Contain("allreduce 8 B offload"));
    }

    [Test]
    public async Task Allgather_measures_every_message_algorithm_of_the_catalog_with_a_receive_buffer_per_rank()
    {
        ToolRun run = await ToolRun.RunAsync("collrun", "-n", "3", "--transport", "tcp", CollBench, "allgather", "--sizes", "64", "--time-budget", "0.01");

        Assert.That(run.ExitCode, Is.Zero, run.StandardError);
        Assert.That(run.StandardOutput, Does.Contain("allgather 64 B auto").And.Contain("allgather 64 B ring").And.Contain("allgather 64 B recursive_doubling").And.Contain("allgather 64 B bruck"));
    }

    [TestCase("gather", "binomial", "linear")]
    [TestCase("scatter", "binomial", "linear")]
    [TestCase("alltoall", "pairwise", "bruck")]
    public async Task A_collective_of_blocks_measures_every_message_algorithm_of_the_catalog_with_a_buffer_of_one_block_per_rank(string collective, string first, string second)
    {
        ToolRun run = await ToolRun.RunAsync("collrun", "-n", "3", "--transport", "tcp", CollBench, collective, "--sizes", "64", "--time-budget", "0.01");

        Assert.That(run.ExitCode, Is.Zero, run.StandardError);
        Assert.That(run.StandardOutput, Does.Contain($"{collective} 64 B auto").And.Contain($"{collective} 64 B {first}").And.Contain($"{collective} 64 B {second}"));
    }

    [Test]
    public async Task Reduce_scatter_measures_every_message_algorithm_of_the_catalog_with_a_send_buffer_per_rank()
    {
        ToolRun run = await ToolRun.RunAsync("collrun", "-n", "3", "--transport", "tcp", CollBench, "reduce_scatter", "--sizes", "64", "--time-budget", "0.01");

        Assert.That(run.ExitCode, Is.Zero, run.StandardError);
        Assert.That(run.StandardOutput, Does.Contain("reduce_scatter 64 B auto").And.Contain("reduce_scatter 64 B ring").And.Contain("reduce_scatter 64 B recursive_halving"));
    }

    [Test]
    public async Task Under_collrun_a_usage_error_is_printed_once_not_by_every_rank()
    {
        ToolRun run = await ToolRun.RunAsync("collrun", "-n", "3", CollBench, "allreduce", "--sizes", "3");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.StandardError);
        Assert.That(run.ErrorLines.Where(line => line.Contains("not a whole number of float32 elements", StringComparison.Ordinal)), Is.EqualTo(new[] { "[0] collbench: 3 bytes is not a whole number of float32 elements that fits in one array." }), run.StandardError);
    }
}
