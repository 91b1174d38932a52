using System.Globalization;

namespace Collectives.CollBench.Comparison;

/// <summary>
/// Runs one side of a comparison case: collbench under collrun (ours), or Open MPI's peer program
/// through benchmarks/peers/run-openmpi.sh, which builds it (and installs Open MPI when root).
/// </summary>
internal sealed class PeerRunners(CompareSettings settings)
{
    private int _runs;

    public async Task<List<MeasuredPoint>> RunOursAsync(ComparisonCase item, CancellationToken cancellationToken)
    {
        string csv = RunFile("collectives", item);
        List<string> arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "collrun.dll"),
            "-n", item.Ranks.ToString(CultureInfo.InvariantCulture),
            "--transport", item.Transport,
            Path.Combine(AppContext.BaseDirectory, "collbench.dll"),
            "--",
            item.Collective,
            "--sizes", settings.SizesText,
            "--algorithms", "auto",
            "--verify-calls", settings.VerifyCalls ? "true" : "false",
            "--iterations-scale", settings.IterationsScale.ToString(CultureInfo.InvariantCulture),
            "--csv", csv,
        ];
        await ChildProcess.RunAsync("dotnet", arguments, cancellationToken).ConfigureAwait(false);
        return PointCsv.Parse(await File.ReadAllTextAsync(csv, cancellationToken).ConfigureAwait(false), csv);
    }

    private string RunFile(string library, ComparisonCase item)
    {
        string folder = Path.Combine(settings.OutputDirectory, "runs");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{library}-{item.Collective}-{item.PeerConfig}-{++_runs}.csv"));
    }

    public async Task<List<MeasuredPoint>> RunOpenMpiAsync(ComparisonCase item, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            settings.PeerScript,
            item.PeerConfig,
            "-s", settings.SizesText,
            "-c", item.Collective,
            "-i", settings.IterationsScale.ToString(CultureInfo.InvariantCulture),
        ];
        string output = await ChildProcess.RunAsync("bash", arguments, cancellationToken).ConfigureAwait(false);

        // Kept beside ours, so every figure behind the tables can be checked afterwards.
        string csv = RunFile("openmpi", item);
        await File.WriteAllTextAsync(csv, output, cancellationToken).ConfigureAwait(false);
        return PointCsv.Parse(output, csv);
    }
}
