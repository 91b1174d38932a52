using System.Globalization;

namespace Collectives.CollBench.Comparison;

/// <summary>
/// One side-by-side configuration: a rank count, a transport and a collective, on this host or,
/// with <paramref name="Hosts"/> above 1, spread evenly over that many hosts of the emulated cluster.
/// </summary>
/// <param name="Ranks">Processes in the job, over all hosts.</param>
/// <param name="Transport">shm or tcp (collrun's --transport; Open MPI's vader or tcp BTL); <see cref="AcrossHosts"/> for a job across hosts, whose sides pick their transports.</param>
/// <param name="Collective">allreduce, reduce, broadcast, allgather, reduce_scatter, gather, scatter, alltoall or barrier.</param>
/// <param name="Hosts">Hosts the ranks are spread over; 1 is this host alone.</param>
internal sealed record ComparisonCase(int Ranks, string Transport, string Collective, int Hosts = 1)
{
    /// <summary>The transport name of a case across hosts: its sides (auto, tcp, Open MPI's BTLs) differ in transport.</summary>
    public const string AcrossHosts = "hosts";

    /// <summary>Whether the job spans several hosts of the emulated cluster.</summary>
    public bool IsAcrossHosts => Hosts > 1;

    /// <summary>Ranks on each host.</summary>
    public int RanksPerHost => Ranks / Hosts;

    /// <summary>The job's shape in column headings and configuration names: np4 on one host, h2x2 for 2 hosts of 2 ranks.</summary>
    public string Shape => IsAcrossHosts
        ? string.Create(CultureInfo.InvariantCulture, $"h{Hosts}x{RanksPerHost}")
        : string.Create(CultureInfo.InvariantCulture, $"np{Ranks}");

    /// <summary>The peer script's configuration name for one side: np4_shm on one host, h2x2_ompi across hosts.</summary>
    public string PeerConfig(ComparisonSide side) => $"{Shape}_{(IsAcrossHosts ? side.Name : Transport)}";

    /// <inheritdoc/>
    public override string ToString() => $"{Collective} {Shape}{(IsAcrossHosts ? string.Empty : "_" + Transport)}";
}
