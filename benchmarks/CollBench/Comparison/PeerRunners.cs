using System.Globalization;

namespace Collectives.CollBench.Comparison;

/// <summary>
/// Runs one side of a comparison case. On one host: collbench under collrun (ours), Open MPI's
/// peer program through benchmarks/peers/run-openmpi.sh, which builds it (and installs Open MPI
/// when root), or Gloo's through benchmarks/peers/run-gloo.sh (likewise with libgloo-dev). Across hosts: either program under mpirun on the emulated cluster, through
/// benchmarks/peers/run-openmpi-cluster.sh, the one place that knows mpirun's options.
/// </summary>
internal sealed class PeerRunners(CompareSettings settings)
{
    private int _runs;

    public Task<List<MeasuredPoint>> RunAsync(ComparisonCase item, ComparisonSide side, CancellationToken cancellationToken)
        => (item.IsAcrossHosts, side.Program) switch
        {
            (false, SideProgram.Collectives) => RunOursAsync(item, side, cancellationToken),
            (false, SideProgram.OpenMpi) => RunOpenMpiAsync(item, side, cancellationToken),
            (false, SideProgram.Gloo) => RunGlooAsync(item, side, cancellationToken),
            (true, SideProgram.Collectives) => RunOursAcrossHostsAsync(item, side, cancellationToken),
            (true, SideProgram.OpenMpi) => RunOpenMpiAcrossHostsAsync(item, side, cancellationToken),
            _ => throw new InvalidOperationException($"{side.Name} does not run {item}."),
        };

    private async Task<List<MeasuredPoint>> RunOursAsync(ComparisonCase item, ComparisonSide side, CancellationToken cancellationToken)
    {
        string csv = RunFile(item, side);
        List<string> arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "collrun.dll"),
            "-n", item.Ranks.ToString(CultureInfo.InvariantCulture),
            "--transport", item.Transport,
            Path.Combine(AppContext.BaseDirectory, "collbench.dll"),
            "--",
            .. CollBenchArguments(item, csv),
        ];
        await ChildProcess.RunAsync("dotnet", arguments, cancellationToken).ConfigureAwait(false);
        return PointCsv.Parse(await File.ReadAllTextAsync(csv, cancellationToken).ConfigureAwait(false), csv);
    }

    /// <summary>
    /// collbench started by mpirun: the library reads Open MPI's variables and meets on the host
    /// file's first host; rank 0 writes the CSV, which every host sees (only /dev/shm is per host).
    /// </summary>
    private async Task<List<MeasuredPoint>> RunOursAcrossHostsAsync(ComparisonCase item, ComparisonSide side, CancellationToken cancellationToken)
    {
        string csv = RunFile(item, side);
        List<string> arguments =
        [
            settings.ClusterPeerScript,
            item.PeerConfig(side),
            "--",
            "dotnet", Path.Combine(AppContext.BaseDirectory, "collbench.dll"),
            .. CollBenchArguments(item, csv),
        ];
        await ChildProcess.RunAsync("bash", arguments, cancellationToken, ClusterEnvironment()).ConfigureAwait(false);
        return PointCsv.Parse(await File.ReadAllTextAsync(csv, cancellationToken).ConfigureAwait(false), csv);
    }

    private string[] CollBenchArguments(ComparisonCase item, string csv) =>
    [
        item.Collective,
        "--sizes", settings.SizesText,
        "--algorithms", "auto",
        "--verify-calls", settings.VerifyCalls ? "true" : "false",
        "--iterations-scale", settings.IterationsScale.ToString(CultureInfo.InvariantCulture),
        "--csv", csv,
    ];

    private Task<List<MeasuredPoint>> RunOpenMpiAsync(ComparisonCase item, ComparisonSide side, CancellationToken cancellationToken)
        => RunPeerScriptAsync(settings.PeerScript, item, side, null, cancellationToken);

    private Task<List<MeasuredPoint>> RunOpenMpiAcrossHostsAsync(ComparisonCase item, ComparisonSide side, CancellationToken cancellationToken)
        => RunPeerScriptAsync(settings.ClusterPeerScript, item, side, ClusterEnvironment(), cancellationToken);

    private async Task<List<MeasuredPoint>> RunPeerScriptAsync(
        string script, ComparisonCase item, ComparisonSide side, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            script,
            item.PeerConfig(side),
            "-s", settings.SizesText,
            "-c", item.Collective,
            "-i", settings.IterationsScale.ToString(CultureInfo.InvariantCulture),
        ];
        string output = await ChildProcess.RunAsync("bash", arguments, cancellationToken, environment).ConfigureAwait(false);

        // Kept beside ours, so every figure behind the tables can be checked afterwards.
        string csv = RunFile(item, side);
        await File.WriteAllTextAsync(csv, output, cancellationToken).ConfigureAwait(false);
        return PointCsv.Parse(output, csv);
    }

    /// <summary>
    /// Gloo through benchmarks/peers/run-gloo.sh, every algorithm it has for the collective, each
    /// in fresh processes one after the other in this round; the side's figure at a size is its
    /// fastest algorithm there (the raw CSV under runs/ keeps every algorithm's row).
    /// </summary>
    private async Task<List<MeasuredPoint>> RunGlooAsync(ComparisonCase item, ComparisonSide side, CancellationToken cancellationToken)
    {
        List<MeasuredPoint> all = await RunPeerScriptAsync(settings.GlooScript, item, side, null, cancellationToken).ConfigureAwait(false);
        return Fastest(all);
    }

    /// <summary>Of several algorithms' rows, the one with the lowest latency at each (collective, size).</summary>
    internal static List<MeasuredPoint> Fastest(IEnumerable<MeasuredPoint> algorithms)
        => [.. algorithms.GroupBy(p => (p.Collective, p.Bytes)).Select(rows => rows.MinBy(p => p.MaxUs)!)];

    /// <summary>run-openmpi-cluster.sh and cluster-rsh find the cluster by this variable.</summary>
    private Dictionary<string, string> ClusterEnvironment()
        => new() { ["COLLECTIVES_CLUSTER"] = settings.Cluster?.Name ?? throw new InvalidOperationException("a case across hosts needs a cluster.") };

    private string RunFile(ComparisonCase item, ComparisonSide side)
    {
        string folder = Path.Combine(settings.OutputDirectory, "runs");
        Directory.CreateDirectory(folder);
        string library = side.Program switch
        {
            SideProgram.Collectives => "collectives",
            SideProgram.Gloo => "gloo",
            _ => "openmpi",
        };
        return Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{library}-{item.Collective}-{item.PeerConfig(side)}-{++_runs}.csv"));
    }
}
