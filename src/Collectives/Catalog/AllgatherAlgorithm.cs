namespace Collectives;

/// <summary>
/// Algorithms for Allgather, to force one per call: each member but Auto is a row of the
/// algorithm catalog, which names it for selection strings. New members go last, since callers
/// compile the values in.
/// </summary>
public enum AllgatherAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the block size and rank count.</summary>
    Auto,

    /// <summary>
    /// Ring: p-1 steps in which every rank passes the block it received last to its successor.
    /// Neighbours only, (p-1) n bytes per rank; its latency grows linearly with p. Best for large blocks.
    /// </summary>
    Ring,

    /// <summary>
    /// Recursive doubling: log2(p) exchanges with the rank whose number differs in one bit, each
    /// doubling the blocks held. Best for small blocks. On a rank count that is not a power of two
    /// it runs <see cref="Bruck"/>, which takes the same ceil(log2 p) steps on any p.
    /// </summary>
    RecursiveDoubling,

    /// <summary>
    /// Bruck: ceil(log2 p) steps; in step k every rank sends all the blocks it holds (up to 2^k)
    /// to rank - 2^k and receives as many from rank + 2^k, then rotates them into rank order.
    /// For small blocks on any rank count.
    /// </summary>
    Bruck,

    /// <summary>
    /// Shared memory: every rank copies its block into its window (in chunks, alternating halves)
    /// and copies every other rank's out. Needs every rank on one shared-memory segment.
    /// </summary>
    SharedMemory,

    /// <summary>
    /// Node-aware, by host leaders: each host gathers its ranks' blocks to one leader through
    /// shared memory, the leaders exchange their hosts' blocks over the network, and each leader
    /// broadcasts them to its host. Needs ranks on several hosts, some host running more than one.
    /// </summary>
    NodeLeaders,
}
