using System.Diagnostics;
using System.Net;
using Collectives.Bootstrap;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Security;
using Collectives.Transport.SharedMemory;

namespace Collectives.Tests.MultiProcess;

/// <summary>
/// Runs the ProcessWorker program as the ranks of a real multi-process job over TCP, the way
/// collrun does: this test hosts the rendezvous server and starts each rank with the COLLECTIVES_*
/// variables. Collects every rank's result line; a job that overruns its deadline is killed and
/// reported as a hang.
/// </summary>
internal static class ProcessJob
{
    private static readonly string WorkerPath = LocateWorker();

    /// <summary>
    /// The collective timeout the fault scenarios run with. It is also the connect timeout, and
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
    /// ranks <paramref name="startedRanks"/> of a <paramref name="size"/>-rank job. Over shared
    /// memory, rings and windows are the smallest allowed (so streaming and chunking run on small
    /// counts), and a segment of the job still in /dev/shm afterwards, whatever happened to the
    /// ranks, fails the run.
    /// </summary>
    public static async Task<RankReport[]> RunAsync(string transport, int size, string scenario, TimeSpan collectiveTimeout, TimeSpan deadline, IEnumerable<int>? startedRanks = null, params string[] arguments)
    {
        JobCredentials credentials = JobCredentials.Generate($"test-{Guid.NewGuid():N}");
        await using RendezvousServer server = await RendezvousServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), credentials, null, CancellationToken.None);
        int[] ranks = [.. startedRanks ?? Enumerable.Range(0, size)];
        var processes = ranks.Select(rank => Start(transport, rank, size, server.Endpoint, credentials, collectiveTimeout, scenario, arguments)).ToArray();
        using var overrun = new CancellationTokenSource(deadline);
        try
        {
            RankReport[] reports = await Task.WhenAll(processes.Select(process => CollectAsync(process, overrun.Token)));
            string[] leftovers = Directory.GetFiles("/dev/shm", SharedMemoryTransport.SegmentNamePrefix(credentials.JobId) + "*");
            return leftovers.Length == 0
                ? reports
                : throw new InvalidOperationException($"The '{scenario}' job left shared-memory segments behind: {string.Join(", ", leftovers)}.");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The {size}-rank '{scenario}' job did not finish within {deadline.TotalSeconds} s: a rank hung.");
        }
        finally
        {
            foreach (RankProcess process in processes)
            {
                process.Dispose();
            }
        }
    }

    private static RankProcess Start(string transport, int rank, int size, IPEndPoint rendezvous, JobCredentials credentials, TimeSpan collectiveTimeout, string scenario, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(WorkerPath);
        start.ArgumentList.Add(scenario);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[LaunchVariables.Rank] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[LaunchVariables.Size] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[LaunchVariables.LocalRank] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[LaunchVariables.Rendezvous] = $"127.0.0.1:{rendezvous.Port}";
        start.Environment[LaunchVariables.JobId] = credentials.JobId;
        start.Environment[LaunchVariables.Secret] = credentials.SecretToBase64();
        start.Environment[LaunchVariables.Timeout] = collectiveTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[LaunchVariables.Transport] = transport;
        start.Environment[SharedMemoryTransportOptions.WindowVariable] = "8k";
        start.Environment[SharedMemoryTransportOptions.RingVariable] = "4k";
        return new RankProcess(rank, Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    private static async Task<RankReport> CollectAsync(RankProcess rank, CancellationToken overrun)
    {
        Task<string> output = rank.Process.StandardOutput.ReadToEndAsync(overrun);
        Task<string> errors = rank.Process.StandardError.ReadToEndAsync(overrun);
        await rank.Process.WaitForExitAsync(overrun);
        string text = await output;
        string? line = text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (line is null)
        {
            return new RankReport(rank.Rank, null, text + await errors, rank.Process.ExitCode);
        }

        string[] parts = line.Split(' ', 4);
        return new RankReport(rank.Rank, parts[2], parts.Length > 3 ? parts[3] : string.Empty, rank.Process.ExitCode);
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
        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }
}
