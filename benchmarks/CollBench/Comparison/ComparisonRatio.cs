namespace Collectives.CollBench.Comparison;

/// <summary>A ratio of two sides' medians that the report shows; lower is better for the numerator, 1.0 is parity.</summary>
/// <param name="Name">Its CSV column.</param>
/// <param name="Heading">Its column heading in the tables.</param>
/// <param name="Numerator">The side divided.</param>
/// <param name="Denominator">The side it is divided by.</param>
internal sealed record ComparisonRatio(string Name, string Heading, string Numerator, string Denominator)
{
    /// <summary>On one host: ours over Open MPI (the column `ratio`, as before Gloo), and ours over Gloo.</summary>
    public static IReadOnlyList<ComparisonRatio> OnOneHost { get; } = [new("ratio", "ratio", "ours", "openmpi"), new("ours_over_gloo", "ours/Gloo", "ours", "gloo")];

    /// <summary>
    /// Across hosts, the goals: ours with auto over Open MPI (at most 1.0), over flat TCP
    /// (at most 0.7 from 1 MiB), and over Open MPI's hierarchical coll_han.
    /// </summary>
    public static IReadOnlyList<ComparisonRatio> AcrossHosts { get; } =
    [
        new("auto_over_ompi", "auto/ompi", "auto", "ompi"),
        new("auto_over_tcp", "auto/tcp", "auto", "tcp"),
        new("auto_over_han", "auto/han", "auto", "han"),
    ];

    /// <summary>The ratios whose two sides are both measured.</summary>
    public static IReadOnlyList<ComparisonRatio> Among(IReadOnlyList<ComparisonRatio> ratios, IReadOnlyList<ComparisonSide> sides)
        => [.. ratios.Where(r => sides.Any(s => s.Name == r.Numerator) && sides.Any(s => s.Name == r.Denominator))];
}
