namespace Collectives;

/// <summary>
/// Algorithms for ReduceScatter, to force one per call: each member but Auto is a row of the
/// algorithm catalog, which names it for selection strings. New members go last, since callers
/// compile the values in.
/// </summary>
public enum ReduceScatterAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the block size and rank count.</summary>
    Auto,

    /// <summary>
    /// Ring: p-1 steps in which every rank passes a partial block to its successor, which combines
    /// its own contribution into it; block r's chain starts at rank r+1 and ends at rank r.
    /// Neighbours only, (p-1) n bytes per rank for blocks of n bytes; its latency grows linearly
    /// with p. Best for large blocks.
    /// </summary>
    Ring,

    /// <summary>
    /// Recursive halving: log2(p) exchanges with the rank whose number differs in one bit (the
    /// highest first), each halving the blocks a rank reduces. Best for small blocks. On a rank
    /// count that is not a power of two the extra ranks fold their vector into a partner first and
    /// get their block back at the end.
    /// </summary>
    RecursiveHalving,

    /// <summary>
    /// Shared memory: per chunk, every rank copies its part of every block into its window, then
    /// reduces its own block from every rank's window. Needs every rank on one shared-memory segment.
    /// </summary>
    SharedMemory,

    /// <summary>
    /// Node-aware, by host leaders: each host reduces its ranks' vectors to one leader through
    /// shared memory, the leaders reduce-scatter the host sums over the network, and each leader
    /// scatters its host's blocks. Needs ranks on several hosts, some host running more than one.
    /// </summary>
    NodeLeaders,

    /// <summary>
    /// Node-aware, by slices: each host reduce-scatters the vector through shared memory into one
    /// slice per local rank (the blocks of every host's rank in that place), and the ranks in each
    /// place reduce-scatter their slice across hosts, all at once. Best for large blocks. Needs
    /// ranks on several hosts, every host running the same number, more than one.
    /// </summary>
    NodeSlices,
}
