namespace Collectives.CollBench.Comparison;

/// <summary>One program configuration measured in every case it applies to: ours under some transport, or a peer library under some settings.</summary>
/// <param name="Name">Short name: the key of its figures, its CSV column prefix and, across hosts, its configuration suffix (h2x2_auto).</param>
/// <param name="Heading">Its column heading in the tables.</param>
/// <param name="Series">Its line's name in the charts.</param>
/// <param name="Program">The program it runs.</param>
internal sealed record ComparisonSide(string Name, string Heading, string Series, SideProgram Program)
{
    /// <summary>The collectives Gloo's peer program measures (Gloo's allgather and the rest are not wired up there).</summary>
    public static readonly IReadOnlySet<string> GlooCollectives = new HashSet<string>(StringComparer.Ordinal) { "allreduce", "reduce", "broadcast", "barrier" };

    /// <summary>Ours, always measured on one host.</summary>
    public static ComparisonSide Ours { get; } = new("ours", "ours", "Collectives", SideProgram.Collectives);

    /// <summary>
    /// The peers `--peers` picks from on one host, by name: Open MPI under the case's transport,
    /// and Gloo, whose only transport here is TCP, with its fastest algorithm at each size.
    /// </summary>
    public static IReadOnlyList<ComparisonSide> Peers { get; } =
    [
        new("openmpi", "Open MPI", "Open MPI", SideProgram.OpenMpi),
        new("gloo", "Gloo", "Gloo", SideProgram.Gloo),
    ];

    /// <summary>On one host by default: ours and Open MPI, each under the case's transport.</summary>
    public static IReadOnlyList<ComparisonSide> OnOneHost { get; } = [Ours, Peers[0]];

    /// <summary>
    /// Across hosts, by name: ours with the auto transport (shared memory in a host, TCP between
    /// hosts, node-aware algorithms) and with tcp (flat algorithms, the baseline node-aware is
    /// measured against); Open MPI with its default collectives and with coll_han's hierarchical ones.
    /// </summary>
    public static IReadOnlyList<ComparisonSide> AcrossHosts { get; } =
    [
        new("auto", "ours auto", "Collectives auto", SideProgram.Collectives),
        new("tcp", "ours tcp", "Collectives tcp", SideProgram.Collectives),
        new("ompi", "Open MPI", "Open MPI", SideProgram.OpenMpi),
        new("han", "Open MPI han", "Open MPI han", SideProgram.OpenMpi),
    ];

    /// <summary>Whether it runs Collectives (collbench) rather than a peer's program.</summary>
    public bool IsOurs => Program == SideProgram.Collectives;

    /// <summary>Whether this side can measure a case: Gloo only over TCP on one host, and only the collectives its program has.</summary>
    public bool AppliesTo(ComparisonCase item)
        => Program != SideProgram.Gloo || (!item.IsAcrossHosts && item.Transport == "tcp" && GlooCollectives.Contains(item.Collective));
}
