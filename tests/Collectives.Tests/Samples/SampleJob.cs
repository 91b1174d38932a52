using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Collectives.Tests.Shared.Network;

namespace Collectives.Tests.Samples;

/// <summary>
/// A sample program (samples/&lt;name&gt;) started as the ranks of a job the way a Kubernetes
/// training operator or torchrun starts them: <c>RANK</c>, <c>WORLD_SIZE</c>,
/// <c>LOCAL_RANK</c>, <c>MASTER_ADDR</c> and <c>MASTER_PORT</c>, rank 0 hosting the rendezvous.
/// Disposing it kills the ranks that are still running.
/// </summary>
internal sealed class SampleJob : IDisposable
{
    private readonly Process[] _ranks;
    private readonly ConcurrentQueue<string> _output = new();

    private readonly string _samplePath;

    private SampleJob(string sample, int size, string[] arguments)
    {
        _samplePath = LocateSample(sample);
        string masterPort = TestPorts.Free().ToString(CultureInfo.InvariantCulture);
        string runId = $"{sample}-{Guid.NewGuid():N}";
        _ranks = [.. Enumerable.Range(0, size).Select(rank => Start(rank, size, masterPort, runId, arguments))];
    }

    /// <summary>Everything the ranks printed so far, each line prefixed with its rank, for assertion messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts <paramref name="size"/> ranks of samples/<paramref name="sample"/> with <paramref name="arguments"/>.</summary>
    public static SampleJob Start(string sample, int size, params string[] arguments) => new(sample, size, arguments);

    /// <summary>Whether any rank has exited.</summary>
    public bool AnyExited => _ranks.Any(rank => rank.HasExited);

    /// <summary>Waits for every rank to exit and returns their exit codes, index = rank.</summary>
    public async Task<int[]> ExitCodesAsync(CancellationToken cancellationToken)
    {
        foreach (Process rank in _ranks)
        {
            await rank.WaitForExitAsync(cancellationToken);
        }

        return [.. _ranks.Select(rank => rank.ExitCode)];
    }

    public void Dispose()
    {
        foreach (Process rank in _ranks)
        {
            if (!rank.HasExited)
            {
                rank.Kill(entireProcessTree: true);
                rank.WaitForExit(5000);
            }

            rank.Dispose();
        }
    }

    private Process Start(int rank, int size, string masterPort, string runId, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(_samplePath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RANK"] = rank.ToString(CultureInfo.InvariantCulture);
        start.Environment["WORLD_SIZE"] = size.ToString(CultureInfo.InvariantCulture);
        start.Environment["LOCAL_RANK"] = rank.ToString(CultureInfo.InvariantCulture);
        start.Environment["MASTER_ADDR"] = "127.0.0.1";
        start.Environment["MASTER_PORT"] = masterPort;
        start.Environment["TORCHELASTIC_RUN_ID"] = runId;

        // Generous: a dotnet process starting on two busy cores can take seconds to join.
        start.Environment["COLLECTIVES_TIMEOUT"] = "60";
        Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, line) => Keep(rank, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(rank, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Keep(int rank, string? line)
    {
        if (line is not null)
        {
            _output.Enqueue($"[{rank}] {line}");
        }
    }

    private static string LocateSample(string sample)
    {
        // tests/Collectives.Tests/bin/<configuration>/<framework>/ -> samples/<sample>/bin/<configuration>/<framework>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = here.Name;
        string configuration = here.Parent!.Name;
        string path = Path.Combine(here.Parent.Parent!.Parent!.Parent!.Parent!.FullName, "samples", sample, "bin", configuration, framework, sample + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build samples/{sample} first (make it a project reference of this test project).", path);
    }
}
