using System.Diagnostics;
using Collectives.Tests.MultiProcess;
using Collectives.Tests.Shared.MultiHost;

namespace Collectives.Tests.MultiHost;

/// <summary>
/// Open MPI's mpirun starts a job across hosts of the emulated cluster as mpi-operator's MPIJob
/// does: its remote agent is a shell into each host (tools/cluster-rsh, in ssh's place) and its
/// host file is named by OMPI_MCA_orte_default_hostfile. No MASTER_ADDR is given: the ranks host
/// and find the rendezvous on the host file's first host.
/// </summary>
[Parallelizable(ParallelScope.None)]
[Category("MultiHost")]
public class MpirunAcrossHostsTests
{
    [Test]
    public async Task Mpirun_with_a_host_file_starts_a_job_across_hosts_that_matches_the_reference()
    {
        EmulatedCluster.RequireRoot();
        if (!File.Exists("/usr/bin/mpirun"))
        {
            // .ci/run installs openmpi-bin; elsewhere the reason is said.
            Assert.Ignore("Open MPI's mpirun is not installed (apt-get install openmpi-bin).");
        }

        using EmulatedCluster cluster = EmulatedCluster.Up(2);
        string hostFile = Path.Combine(Path.GetTempPath(), $"hostfile-{cluster.Name}");
        await File.WriteAllLinesAsync(hostFile, ["node0 slots=2", "node1 slots=2"]);
        try
        {
            ProcessStartInfo start = cluster.Command(EmulatedCluster.HostName(0),
            [
                "env", $"COLLECTIVES_CLUSTER={cluster.Name}", $"OMPI_MCA_orte_default_hostfile={hostFile}",
                "mpirun", "--allow-run-as-root", "-np", "4", "--mca", "plm_rsh_agent", EmulatedCluster.RemoteShell,
                "--mca", "oob_tcp_if_include", "eth0", "--mca", "btl_tcp_if_include", "eth0",
                "-x", "COLLECTIVES_TIMEOUT=30", "-x", "PATH",
                "dotnet", ProcessJob.WorkerPath, "matrix",
            ]);
            using Process mpirun = Process.Start(start)!;
            Task<string> output = mpirun.StandardOutput.ReadToEndAsync();
            Task<string> errors = mpirun.StandardError.ReadToEndAsync();
            try
            {
                await mpirun.WaitForExitAsync().WaitAsync(ClusterJob.Deadline);
            }
            finally
            {
                if (!mpirun.HasExited)
                {
                    mpirun.Kill(entireProcessTree: true);
                }
            }

            string text = await output + await errors;
            string[] results = [.. text.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("RESULT ", StringComparison.Ordinal)).Order()];
            Assert.That(mpirun.ExitCode, Is.Zero, text);
            Assert.That(results, Has.Length.EqualTo(4), text);
            Assert.That(results, Has.All.Match(@"^RESULT [0-3] OK \d+ cases over shm\+tcp on 4 ranks$"), text);
        }
        finally
        {
            File.Delete(hostFile);
        }
    }
}
