using System.Globalization;

namespace Collectives.CollBench.Comparison;

/// <summary>One side-by-side configuration: a rank count, a transport and a collective.</summary>
/// <param name="Ranks">Processes on this host.</param>
/// <param name="Transport">shm or tcp (collrun's --transport; Open MPI's vader or tcp BTL).</param>
/// <param name="Collective">allreduce, reduce, broadcast, allgather, reduce_scatter, gather, scatter, alltoall or barrier.</param>
internal sealed record ComparisonCase(int Ranks, string Transport, string Collective)
{
    /// <summary>The peer script's configuration name, e.g. np4_shm.</summary>
    public string PeerConfig => string.Create(CultureInfo.InvariantCulture, $"np{Ranks}_{Transport}");

    /// <inheritdoc/>
    public override string ToString() => $"{Collective} {PeerConfig}";
}
