using System.Diagnostics;
using System.Net;
using Collectives.Bootstrap;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Security;
using Collectives.Transport.SharedMemory;

namespace Collectives.Tests.MultiProcess;

/// <summary>
/// Runs the ProcessWorker program as the ranks of a real multi-process job, the way collrun does:
/// this test hosts the rendezvous server and starts each rank with the COLLECTIVES_* variables.
/// Collects every rank's result line (and its fault and end timestamps); a job that overruns its
/// deadline is killed and reported as a hang, and no rank process outlives a run.
/// </summary>
internal static class ProcessJob
{
    /// <summary>The ProcessWorker program every rank runs.</summary>
    public static readonly string WorkerPath = LocateWorker();

    /// <summary>
    /// The collective timeout the correctness jobs run with (the fault matrix picks its own per case). It is also the connect timeout, and
    /// eight dotnet processes starting on two busy cores can take seconds to join.
    /// </summary>
    public static readonly TimeSpan CollectiveTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a whole job may run before the test calls it hung.</summary>
    public static readonly TimeSpan JobDeadline = TimeSpan.FromSeconds(120);

    /// <summary>Every rank's report, one per line, for assertion messages.</summary>
    public static string Describe(RankReport[] reports) => Environment.NewLine + string.Join(Environment.NewLine, reports.Select(report => report.ToString()));

    /// <summary>Runs <paramref name="scenario"/> over TCP on ranks <paramref name="startedRanks"/> of a <paramref name="size"/>-rank job.</summary>
    public static Task<RankReport[]> RunAsync(int size, string scenario, TimeSpan collectiveTimeout, TimeSpan deadline, IEnumerable<int>? startedRanks = null, params string[] arguments)
        => RunAsync("tcp", size, scenario, collectiveTimeout, deadline, startedRanks, arguments);

    /// <summary>
    /// Runs <paramref name="scenario"/> over <paramref name="transport"/> (COLLECTIVES_TRANSPORT) on
    /// ranks <paramref name="startedRanks"/> of a <paramref name="size"/>-rank job (see <see cref="RunAsync(ProcessJobRun)"/>).
    /// </summary>
    public static async Task<RankReport[]> RunAsync(string transport, int size, string scenario, TimeSpan collectiveTimeout, TimeSpan deadline, IEnumerable<int>? startedRanks = null, params string[] arguments)
        => (await RunAsync(new ProcessJobRun(transport, size, scenario, collectiveTimeout)
        {
            Deadline = deadline,
            StartedRanks = startedRanks?.ToArray(),
            Arguments = arguments,
        })).Reports;

    /// <summary>
    /// Runs <paramref name="run"/>: hosts its rendezvous, starts its ranks and whatever runs
    /// meanwhile, waits for every rank to end (killing the lingering ones once the others
    /// have ended), and collects their reports. Over shared memory, rings and windows are the smallest
    /// allowed (so streaming and chunking run on small counts). Fails the run if a segment of the
    /// job is still in /dev/shm afterwards, whatever happened to the ranks, or if a rank process is
    /// still alive; a job that overruns its deadline is killed and reported as a hang.
    /// </summary>
    public static async Task<FinishedJob> RunAsync(ProcessJobRun run)
    {
        JobCredentials credentials = JobCredentials.Generate($"test-{Guid.NewGuid():N}");
        await using RendezvousServer server = await RendezvousServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), credentials, null, CancellationToken.None);
        int[] ranks = [.. run.StartedRanks ?? Enumerable.Range(0, run.Size)];
        long started = Stopwatch.GetTimestamp();
        var processes = ranks.Select(rank => Start(run, rank, server.Endpoint, credentials)).ToArray();
        using var overrun = new CancellationTokenSource(run.Deadline);
        try
        {
            Task<RankReport>[] collecting = [.. processes.Select(process => CollectAsync(process, overrun.Token))];
            Task meanwhile = run.Meanwhile is { } intruder ? Task.Run(() => intruder(new RunningJob(server.Endpoint, credentials, run.Size))) : Task.CompletedTask;
            await Task.WhenAll(collecting.Where((_, index) => !run.Lingering.Contains(ranks[index])));
            foreach (RankProcess process in processes.Where(process => run.Lingering.Contains(process.Rank)))
            {
                process.Process.Kill();
            }

            RankReport[] reports = await Task.WhenAll(collecting);
            await meanwhile.WaitAsync(overrun.Token);
            int[] alive = [.. processes.Where(process => !process.Process.HasExited).Select(process => process.Rank)];
            string[] leftovers = Directory.GetFiles("/dev/shm", SharedMemoryTransport.SegmentNamePrefix(credentials.JobId) + "*");
            return alive.Length > 0 ? throw new InvalidOperationException($"The '{run.Scenario}' job left rank processes {string.Join(", ", alive)} running.")
                : leftovers.Length > 0 ? throw new InvalidOperationException($"The '{run.Scenario}' job left shared-memory segments behind: {string.Join(", ", leftovers)}.")
                : new FinishedJob(reports, started);
        }
        catch (OperationCanceledException) when (overrun.IsCancellationRequested)
        {
            throw new TimeoutException($"The {run.Size}-rank '{run.Scenario}' job did not finish within {run.Deadline.TotalSeconds} s: a rank hung.");
        }
        finally
        {
            foreach (RankProcess process in processes)
            {
                process.Dispose();
            }
        }
    }

    private static RankProcess Start(ProcessJobRun run, int rank, IPEndPoint rendezvous, JobCredentials credentials)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(WorkerPath);
        start.ArgumentList.Add(run.Scenario);
        foreach (string argument in run.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[LaunchVariables.Rank] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[LaunchVariables.Size] = run.Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[LaunchVariables.LocalRank] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[LaunchVariables.Rendezvous] = $"127.0.0.1:{rendezvous.Port}";
        start.Environment[LaunchVariables.JobId] = credentials.JobId;
        start.Environment[LaunchVariables.Secret] = credentials.SecretToBase64();
        start.Environment[LaunchVariables.Timeout] = run.Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[LaunchVariables.Transport] = run.Transport;
        start.Environment[SharedMemoryTransportOptions.WindowVariable] = "8k";
        start.Environment[SharedMemoryTransportOptions.RingVariable] = "4k";
        return new RankProcess(rank, Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    private static async Task<RankReport> CollectAsync(RankProcess rank, CancellationToken overrun)
    {
        Task<string> output = rank.Process.StandardOutput.ReadToEndAsync(overrun);
        Task<string> errors = rank.Process.StandardError.ReadToEndAsync(overrun);
        await rank.Process.WaitForExitAsync(overrun);
        return RankReport.Parse(rank.Rank, await output, await errors, rank.Process.ExitCode);
    }

    private static string LocateWorker()
    {
        // tests/Collectives.Tests/bin/<configuration>/<framework>/ -> tests/ProcessWorker/bin/<configuration>/<framework>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = here.Name;
        string configuration = here.Parent!.Name;
        string path = Path.Combine(here.Parent.Parent!.Parent!.Parent!.FullName, "ProcessWorker", "bin", configuration, framework, "ProcessWorker.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/ProcessWorker first (it is a project reference of this test project).", path);
    }

    private sealed record RankProcess(int Rank, Process Process) : IDisposable
    {
        /// <summary>Kills the rank if it is still running (stopped ones too: SIGKILL ends a stopped process) and reaps it.</summary>
        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }

            Process.Dispose();
        }
    }
}
