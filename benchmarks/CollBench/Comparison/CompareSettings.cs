namespace Collectives.CollBench.Comparison;

/// <summary>What one `collbench compare` run measures, as parsed from its command line.</summary>
/// <param name="Cases">Every (ranks, transport, collective) to measure, in order.</param>
/// <param name="SizesText">The sizes as given, passed on verbatim to both programs.</param>
/// <param name="Rounds">How many times each case is measured on each side; the median is reported.</param>
/// <param name="VerifyCalls">CommunicatorOptions.VerifyCalls for our side.</param>
/// <param name="IterationsScale">Multiplies both programs' iteration counts.</param>
/// <param name="OutputDirectory">Where tables, CSV, charts and each run's raw CSV go.</param>
/// <param name="PeerScript">Path of benchmarks/peers/run-openmpi.sh.</param>
internal sealed record CompareSettings(
    IReadOnlyList<ComparisonCase> Cases,
    string SizesText,
    int Rounds,
    bool VerifyCalls,
    double IterationsScale,
    string OutputDirectory,
    string PeerScript);
