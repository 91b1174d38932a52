using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Collectives.Launcher.Tests.Support;
using Collectives.Tests.Shared.MultiHost;

namespace Collectives.Launcher.Tests;

/// <summary>
/// collrun as a per-node agent (torchrun's model): one collrun per node starts its ranks with the
/// job's global ranks; node 0's hosts the rendezvous on the master port.
/// </summary>
public class NodeAgentTests
{
    [Test]
    public async Task An_agent_gives_its_ranks_their_global_ranks_and_the_masters_rendezvous()
    {
        // Node 1 of 2 hosts nothing, so its ranks only print their environment.
        using CollrunRun run = await CollrunRun.RunAsync(
            "--nnodes", "2", "--node-rank", "1", "-n", "2", "--master-addr", "127.0.0.1", "--master-port", "29999",
            "--", CollrunRun.TestProgram, "env", "COLLECTIVES_RANK", "COLLECTIVES_SIZE", "COLLECTIVES_LOCAL_RANK", "COLLECTIVES_RENDEZVOUS", "COLLECTIVES_JOB_ID");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        Assert.That(CollrunRun.RankLines(run.StandardOutput, 2), Is.EqualTo(new[]
        {
            "COLLECTIVES_RANK=2", "COLLECTIVES_SIZE=4", "COLLECTIVES_LOCAL_RANK=0", "COLLECTIVES_RENDEZVOUS=127.0.0.1:29999", "COLLECTIVES_JOB_ID=collrun-127.0.0.1-29999",
        }));
        Assert.That(CollrunRun.RankLines(run.StandardOutput, 3), Has.Member("COLLECTIVES_RANK=3").And.Member("COLLECTIVES_LOCAL_RANK=1"));
    }

    [Test]
    public async Task A_master_port_already_in_use_is_an_error_naming_the_port_and_the_option_that_moves_it()
    {
        using var holder = new TcpListener(IPAddress.Any, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;

        using CollrunRun run = await CollrunRun.RunAsync(
            "--nnodes", "2", "--node-rank", "0", "-n", "1", "--master-addr", "127.0.0.1", "--master-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--", CollrunRun.TestProgram, "say", "started");

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(1));
        Assert.That(run.StandardError.Text, Does.Contain($"cannot host the rendezvous on port {port}: another process holds it").And.Contain("--master-port"));
        Assert.That(run.StandardOutput.Text, Does.Not.Contain("started"));
    }

    [TestCase(new[] { "--nnodes", "2", "-n", "2", "app" }, "--node-rank is required with --nnodes 2")]
    [TestCase(new[] { "--nnodes", "2", "--node-rank", "2", "-n", "1", "--master-addr", "h", "app" }, "--node-rank 2 is not a node of 2")]
    [TestCase(new[] { "--node-rank", "1", "-n", "1", "app" }, "--node-rank is for a job of several nodes")]
    [TestCase(new[] { "--nnodes", "2", "--node-rank", "0", "-n", "1", "app" }, "--master-addr is required with --nnodes 2")]
    [TestCase(new[] { "--nnodes", "2", "--node-rank", "0", "-n", "2", "--nproc-per-node", "3", "--master-addr", "h", "app" }, "-n 2 and --nproc-per-node 3 disagree")]
    [TestCase(new[] { "--nnodes", "2", "--node-rank", "0", "--nproc-per-node", "x", "--master-addr", "h", "app" }, "ranks per node must be a whole number")]
    [TestCase(new[] { "--nnodes", "2", "--node-rank", "0", "-n", "1", "--master-addr", "h", "--master-port", "70000", "app" }, "--master-port 70000 is not a port number")]
    [TestCase(new[] { "--nnodes", "0", "-n", "1", "app" }, "--nnodes must be at least 1")]
    public async Task A_bad_node_layout_is_a_usage_error_with_the_reason(string[] args, string reason)
    {
        using CollrunRun run = await CollrunRun.RunAsync(args);

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(2));
        Assert.That(run.StandardError.Text, Does.Contain(reason));
    }

    [Test]
    [Category("MultiHost")]
    public async Task Agents_on_two_hosts_of_an_emulated_cluster_run_one_job()
    {
        EmulatedCluster.RequireRoot();
        using EmulatedCluster cluster = EmulatedCluster.Up(2);
        string collrun = Path.Combine(AppContext.BaseDirectory, "collrun.dll");

        Task<(int ExitCode, string Output)>[] agents = [.. Enumerable.Range(0, 2).Select(node => RunAsync(cluster.Command(EmulatedCluster.HostName(node),
        [
            "dotnet", collrun, "--nnodes", "2", "--node-rank", node.ToString(System.Globalization.CultureInfo.InvariantCulture), "--nproc-per-node", "2",
            "--master-addr", EmulatedCluster.HostName(0), "--master-port", "29400", "--timeout", "30",
            "--", CollrunRun.TestProgram, "join", "allreduce", "3", "env", "COLLECTIVES_RANK",
        ])))];
        (int ExitCode, string Output)[] results = await Task.WhenAll(agents).WaitAsync(TimeSpan.FromMinutes(2));

        AssertEachNodeRanItsTwoRanks(results);
    }

    [Test]
    [Category("MultiHost")]
    public async Task Agents_started_as_Kubeflow_Trainer_v2_starts_them_read_the_PET_variables_and_run_one_job()
    {
        // Trainer v2 gives every node's pod the same command and sets only PET_* per pod.
        EmulatedCluster.RequireRoot();
        using EmulatedCluster cluster = EmulatedCluster.Up(2);
        string collrun = Path.Combine(AppContext.BaseDirectory, "collrun.dll");

        Task<(int ExitCode, string Output)>[] agents = [.. Enumerable.Range(0, 2).Select(node => RunAsync(cluster.Command(EmulatedCluster.HostName(node),
        [
            "env", "PET_NNODES=2", "PET_NPROC_PER_NODE=2", $"PET_NODE_RANK={node}", $"PET_MASTER_ADDR={EmulatedCluster.HostName(0)}", "PET_MASTER_PORT=29401",
            "dotnet", collrun, "--timeout", "30", "--", CollrunRun.TestProgram, "join", "allreduce", "3", "env", "COLLECTIVES_RANK",
        ])))];
        (int ExitCode, string Output)[] results = await Task.WhenAll(agents).WaitAsync(TimeSpan.FromMinutes(2));

        AssertEachNodeRanItsTwoRanks(results);
    }

    // Node n's agent started ranks 2n and 2n + 1, and each printed its rank.
    private static void AssertEachNodeRanItsTwoRanks((int ExitCode, string Output)[] results)
    {
        for (int node = 0; node < 2; node++)
        {
            Assert.That(results[node].ExitCode, Is.Zero, results[node].Output);
            foreach (int rank in (int[])[2 * node, (2 * node) + 1])
            {
                Assert.That(results[node].Output, Does.Contain($"[{rank}] COLLECTIVES_RANK={rank}"), results[node].Output);
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start)
    {
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output + await errors);
    }
}
