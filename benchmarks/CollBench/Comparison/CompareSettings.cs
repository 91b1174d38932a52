namespace Collectives.CollBench.Comparison;

/// <summary>What one `collbench compare` run measures, as parsed from its command line.</summary>
/// <param name="Cases">Every (ranks, transport, collective) to measure, in order.</param>
/// <param name="SizesText">The sizes as given, passed on verbatim to both programs.</param>
/// <param name="Rounds">How many times each case is measured on each side; the median is reported.</param>
/// <param name="VerifyCalls">CommunicatorOptions.VerifyCalls for our side.</param>
/// <param name="IterationsScale">Multiplies both programs' iteration counts.</param>
/// <param name="OutputDirectory">Where tables, CSV, charts and each run's raw CSV go.</param>
/// <param name="PeerScript">Path of benchmarks/peers/run-openmpi.sh (run-openmpi-cluster.sh is its sibling).</param>
internal sealed record CompareSettings(
    IReadOnlyList<ComparisonCase> Cases,
    string SizesText,
    int Rounds,
    bool VerifyCalls,
    double IterationsScale,
    string OutputDirectory,
    string PeerScript)
{
    /// <summary>The configurations measured in every case, in the report's column order.</summary>
    public IReadOnlyList<ComparisonSide> Sides { get; init; } = ComparisonSide.OnOneHost;

    /// <summary>The ratios the report shows.</summary>
    public IReadOnlyList<ComparisonRatio> Ratios { get; init; } = ComparisonRatio.OnOneHost;

    /// <summary>The emulated cluster the cases run across; null when they run on this host.</summary>
    public ComparisonCluster? Cluster { get; init; }

    /// <summary>benchmarks/peers/run-gloo.sh, next to <see cref="PeerScript"/>.</summary>
    public string GlooScript => Path.Combine(Path.GetDirectoryName(PeerScript) ?? ".", "run-gloo.sh");

    /// <summary>benchmarks/peers/run-openmpi-cluster.sh, next to <see cref="PeerScript"/>.</summary>
    public string ClusterPeerScript => Path.Combine(Path.GetDirectoryName(PeerScript) ?? ".", "run-openmpi-cluster.sh");
}
