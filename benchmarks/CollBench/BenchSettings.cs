namespace Collectives.CollBench;

/// <summary>What one collbench run measures, as parsed from its command line.</summary>
/// <param name="Collective">allreduce, reduce, broadcast or barrier.</param>
/// <param name="Sizes">Message sizes in bytes (ignored by barrier, which moves no data).</param>
/// <param name="Algorithms">The algorithms to sweep, in order.</param>
/// <param name="VerifyCalls">Whether each call first checks its signature across ranks (the library default).</param>
/// <param name="IterationsScale">Multiplies the warm-up and timed iteration counts.</param>
/// <param name="TimeBudget">Rough upper bound on the timed part of one (algorithm, size) point.</param>
/// <param name="CsvPath">Where to write CSV rows, or null.</param>
/// <param name="JsonPath">Where to write the JSON report, or null.</param>
/// <param name="SvgPath">Where to write the SVG chart, or null.</param>
/// <param name="Suggest">Whether to print a selection override built from the fastest algorithms.</param>
/// <param name="FirstCalls">When above 0, time each of the job's first this many calls instead of sweeping (see FirstCalls/).</param>
internal sealed record BenchSettings(
    string Collective,
    IReadOnlyList<long> Sizes,
    IReadOnlyList<BenchAlgorithm> Algorithms,
    bool VerifyCalls,
    double IterationsScale,
    TimeSpan TimeBudget,
    string? CsvPath,
    string? JsonPath,
    string? SvgPath,
    bool Suggest,
    int FirstCalls = 0);
