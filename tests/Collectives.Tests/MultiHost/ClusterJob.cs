using System.Diagnostics;
using System.Globalization;
using System.Text;
using Collectives.Tests.MultiProcess;
using Collectives.Tests.Shared.MultiHost;

namespace Collectives.Tests.MultiHost;

/// <summary>
/// Runs the ProcessWorker program as the ranks of a job spread over the hosts of an
/// <see cref="EmulatedCluster"/>, started the way torchrun or the Kubernetes training operator
/// starts them (RANK, WORLD_SIZE, LOCAL_RANK and MASTER_ADDR/MASTER_PORT naming the first host,
/// where rank 0 hosts the rendezvous), or the way srun does (SLURM_* variables and the step's
/// compressed node list, no MASTER_ADDR). Ranks fill the hosts in order.
/// </summary>
internal static class ClusterJob
{
    private const int MasterPort = 29500;

    /// <summary>How long a whole job may run before the test calls it hung.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(150);

    /// <summary>
    /// Runs <paramref name="scenario"/> with <paramref name="ranksPerHost"/>[h] ranks on host h, and
    /// <see cref="ClusterJobOptions.Meanwhile"/> once every rank has printed "CONNECTED"; returns every rank's report.
    /// </summary>
    public static async Task<RankReport[]> RunAsync(EmulatedCluster cluster, int[] ranksPerHost, ClusterJobOptions options, string scenario, params string[] arguments)
    {
        TimeSpan timeout = options.Timeout;
        Func<RunningClusterJob, Task>? meanwhile = options.Meanwhile;
        int size = ranksPerHost.Sum();
        var ranks = new List<RankProcess>();
        using var overrun = new CancellationTokenSource(Deadline);
        try
        {
            int rank = 0;
            var hostOf = new List<int>();
            for (int host = 0; host < ranksPerHost.Length; host++)
            {
                if (options.LateHost is { } late && late.Host == host)
                {
                    await Task.Delay(late.Delay, overrun.Token);
                }

                for (int local = 0; local < ranksPerHost[host]; local++, rank++)
                {
                    hostOf.Add(host);
                    string[] launch = options.Style == LaunchStyle.Slurm
                        ? [$"SLURM_PROCID={rank}", $"SLURM_NTASKS={size}", $"SLURM_LOCALID={local}", "SLURM_JOB_ID=4242", "SLURM_STEP_ID=0",
                            $"SLURM_STEP_NODELIST=node[0-{ranksPerHost.Length - 1}]"]
                        : [$"RANK={rank}", $"WORLD_SIZE={size}", $"LOCAL_RANK={local}",
                            $"MASTER_ADDR={options.MasterAddress ?? EmulatedCluster.HostName(0)}", $"MASTER_PORT={MasterPort}"];
                    string[] command =
                    [
                        "env", .. launch,
                        $"COLLECTIVES_TIMEOUT={timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}",
                        .. options.Environment,
                        "dotnet", ProcessJob.WorkerPath, scenario, .. arguments,
                    ];
                    ranks.Add(RankProcess.Start(rank, cluster.Command(EmulatedCluster.HostName(host), command)));
                }
            }

            if (meanwhile is not null)
            {
                // A rank that fails before it connects ends the wait too: its report says why.
                await Task.WhenAll(ranks.Select(process => Task.WhenAny(process.Connected, process.Process.WaitForExitAsync(overrun.Token)))).WaitAsync(overrun.Token);
                await meanwhile(new RunningClusterJob(host => KillHost(ranks, hostOf, host))).WaitAsync(overrun.Token);
            }

            return await Task.WhenAll(ranks.Select(process => process.ReportAsync(overrun.Token)));
        }
        catch (OperationCanceledException) when (overrun.IsCancellationRequested)
        {
            throw new TimeoutException($"The {size}-rank '{scenario}' job across {ranksPerHost.Length} hosts did not finish within {Deadline.TotalSeconds} s: a rank hung.");
        }
        finally
        {
            foreach (RankProcess process in ranks)
            {
                process.Dispose();
            }
        }
    }

    /// <summary>Kills every rank process of <paramref name="host"/> at once (SIGKILL, with what they started), as a host that dies.</summary>
    private static void KillHost(List<RankProcess> ranks, List<int> hostOf, int host)
    {
        foreach (RankProcess process in ranks.Where((_, index) => hostOf[index] == host))
        {
            process.Process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>One rank's process, its output gathered as it comes, so a test can act once the rank has connected.</summary>
    private sealed class RankProcess : IDisposable
    {
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _errors = new();
        private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private RankProcess(int rank, Process process)
        {
            Rank = rank;
            Process = process;
        }

        public int Rank { get; }

        public Process Process { get; }

        /// <summary>Completes when the rank prints "CONNECTED".</summary>
        public Task Connected => _connected.Task;

        public static RankProcess Start(int rank, ProcessStartInfo start)
        {
            var process = new Process { StartInfo = start };
            var rankProcess = new RankProcess(rank, process);
            process.OutputDataReceived += (_, line) => rankProcess.Received(line.Data);
            process.ErrorDataReceived += (_, line) =>
            {
                lock (rankProcess._errors)
                {
                    rankProcess._errors.AppendLine(line.Data);
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return rankProcess;
        }

        public async Task<RankReport> ReportAsync(CancellationToken overrun)
        {
            // The no-argument wait also waits for the output to be read to its end.
            await Process.WaitForExitAsync(overrun);
            Process.WaitForExit();
            lock (_output)
            {
                lock (_errors)
                {
                    return RankReport.Parse(Rank, _output.ToString(), _errors.ToString(), Process.ExitCode);
                }
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }

            Process.Dispose();
        }

        private void Received(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (line.StartsWith("CONNECTED ", StringComparison.Ordinal))
            {
                _connected.TrySetResult();
            }
        }
    }
}

/// <summary>How a <see cref="ClusterJob"/> runs.</summary>
/// <param name="Timeout">The collective timeout (COLLECTIVES_TIMEOUT), also the connect timeout.</param>
internal sealed record ClusterJobOptions(TimeSpan Timeout)
{
    /// <summary>Run once every rank has connected (the scenario prints "CONNECTED"); null for none.</summary>
    public Func<RunningClusterJob, Task>? Meanwhile { get; init; }

    /// <summary>A host whose ranks start this long after the others'; null when all start together.</summary>
    public (int Host, TimeSpan Delay)? LateHost { get; init; }

    /// <summary>Which launcher's variables the ranks get.</summary>
    public LaunchStyle Style { get; init; } = LaunchStyle.Torchrun;

    /// <summary>MASTER_ADDR (torchrun style); null for the first host's name.</summary>
    public string? MasterAddress { get; init; }

    /// <summary>More NAME=value variables for every rank.</summary>
    public string[] Environment { get; init; } = [];
}

/// <summary>What a test can do to a running <see cref="ClusterJob"/>.</summary>
/// <param name="KillHost">Kills every rank of a host at once.</param>
internal sealed record RunningClusterJob(Action<int> KillHost);

/// <summary>Which launcher a <see cref="ClusterJob"/> starts its ranks as.</summary>
internal enum LaunchStyle
{
    /// <summary>torchrun or a Kubernetes training operator: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT.</summary>
    Torchrun,

    /// <summary>Slurm's srun: SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID, the job and step ids and SLURM_STEP_NODELIST.</summary>
    Slurm,
}
