namespace Collectives.CollBench.Comparison;

/// <summary>Which program a comparison side runs.</summary>
internal enum SideProgram
{
    /// <summary>collbench: our library.</summary>
    Collectives,

    /// <summary>benchmarks/peers/mpi_peer_bench.c under Open MPI.</summary>
    OpenMpi,

    /// <summary>benchmarks/peers/gloo_peer_bench.cc: Gloo's TCP transport, every algorithm, the best one at each size.</summary>
    Gloo,
}
