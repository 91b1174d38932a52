namespace Collectives.CollBench.Comparison;

/// <summary>One program configuration measured in every case: ours under some transport, or Open MPI under some settings.</summary>
/// <param name="Name">Short name: the key of its figures, its CSV column prefix and, across hosts, its configuration suffix (h2x2_auto).</param>
/// <param name="Heading">Its column heading in the tables.</param>
/// <param name="Series">Its line's name in the charts.</param>
/// <param name="Ours">Whether it runs Collectives (collbench) rather than Open MPI's peer program.</param>
internal sealed record ComparisonSide(string Name, string Heading, string Series, bool Ours)
{
    /// <summary>On one host: ours and Open MPI, each under the case's transport.</summary>
    public static IReadOnlyList<ComparisonSide> OnOneHost { get; } =
    [
        new("ours", "ours", "Collectives", Ours: true),
        new("openmpi", "Open MPI", "Open MPI", Ours: false),
    ];

    /// <summary>
    /// Across hosts, by name: ours with the auto transport (shared memory in a host, TCP between
    /// hosts, node-aware algorithms) and with tcp (flat algorithms, the baseline node-aware is
    /// measured against); Open MPI with its default collectives and with coll_han's hierarchical ones.
    /// </summary>
    public static IReadOnlyList<ComparisonSide> AcrossHosts { get; } =
    [
        new("auto", "ours auto", "Collectives auto", Ours: true),
        new("tcp", "ours tcp", "Collectives tcp", Ours: true),
        new("ompi", "Open MPI", "Open MPI", Ours: false),
        new("han", "Open MPI han", "Open MPI han", Ours: false),
    ];
}
