using Collectives.Benchmarks.Tests.Support;
using Collectives.Tests.Shared.MultiHost;

namespace Collectives.Benchmarks.Tests;

/// <summary>
/// One real, small `collbench compare --hosts` run: it brings up its own cluster, runs ours and
/// Open MPI under mpirun across two hosts, writes the report and always brings the cluster down.
/// </summary>
[Category("MultiHost")]
public class CompareAcrossHostsRunTests
{
    [Test]
    public async Task A_two_host_comparison_runs_both_libraries_and_takes_its_cluster_down()
    {
        EmulatedCluster.RequireRoot();
        if (!File.Exists("/usr/bin/mpirun"))
        {
            Assert.Ignore("Open MPI's mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev).");
        }

        string name = $"b{Random.Shared.Next(0, 1 << 20):x5}";
        string output = Directory.CreateTempSubdirectory("compare-hosts-").FullName;
        try
        {
            ToolRun run = await ToolRun.RunAsync(
                "collbench", "compare", "--hosts", "2", "--ranks-per-host", "1", "--configs", "auto,ompi", "--collectives", "allreduce",
                "--sizes", "8", "--rounds", "1", "--iterations-scale", "0.2", "--cluster-name", name, "--out", output, "--peer-script", PeerScript());

            Assert.That(run.ExitCode, Is.Zero, run.StandardOutput + run.StandardError);
            Assert.That(File.ReadAllLines(Path.Combine(output, "comparison.csv"))[1], Does.StartWith("allreduce,2,1,8,1,"));
            Assert.That(Directory.Exists($"/run/collectives-cluster/{name}"), Is.False, "the cluster was left up");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>benchmarks/peers/run-openmpi.sh of the repository the tests were built from.</summary>
    private static string PeerScript()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string script = Path.Combine(folder.FullName, "benchmarks", "peers", "run-openmpi.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new FileNotFoundException($"No benchmarks/peers/run-openmpi.sh above {AppContext.BaseDirectory}.");
    }
}
