namespace Collectives;

/// <summary>
/// Algorithms for Alltoall, to force one per call: each member but Auto is a row of the algorithm
/// catalog, which names it for selection strings. New members go last, since callers compile the
/// values in.
/// </summary>
public enum AlltoallAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the block size and rank count.</summary>
    Auto,

    /// <summary>
    /// Pairwise exchange: p-1 steps; in step s every rank sends its block for rank + s and receives
    /// rank - s's block for it. Every block travels once, directly: best for large blocks. Runs
    /// AlltoallV too.
    /// </summary>
    Pairwise,

    /// <summary>
    /// Bruck: ceil(log2 p) steps; in step k every rank packs the blocks whose (rotated) index has
    /// bit k set and sends them to rank + 2^k in one message, so blocks travel up to log2(p) times
    /// but in few messages: best for small blocks. Equal blocks only (not AlltoallV).
    /// </summary>
    Bruck,

    /// <summary>
    /// Shared memory: every rank copies its blocks side by side into its window (in chunks,
    /// alternating halves) and every rank copies its own block out of every window. Needs every
    /// rank on one shared-memory segment. Runs AlltoallV too.
    /// </summary>
    SharedMemory,

    /// <summary>
    /// Node-aware, by host leaders: each host gathers its ranks' send buffers to one leader through
    /// shared memory, the leaders exchange one message per pair of hosts, and each leader scatters
    /// to its ranks the blocks addressed to them. Best for small blocks. Needs ranks on several
    /// hosts, some host running more than one. Equal blocks only (not AlltoallV).
    /// </summary>
    NodeLeaders,

    /// <summary>
    /// Node-aware, by places: each host first exchanges its ranks' blocks through shared memory so
    /// that its rank at each place holds every block the host sends to that place on any host, then
    /// the ranks of each place exchange across hosts, all places at once, one message per pair of
    /// hosts. Best for large blocks. Needs ranks on several hosts, as many on each, some host running
    /// more than one. Equal blocks only (not AlltoallV).
    /// </summary>
    NodeSlices,

    /// <summary>
    /// Scattered exchange: every rank starts its exchanges with up to 16 peers at once (pairwise
    /// order) instead of one per step, so the transfers overlap: a rank's shared-memory and network
    /// peers are served together and a slow pair holds up no other. Every block travels once,
    /// directly: best for large blocks across hosts. Runs AlltoallV too.
    /// </summary>
    Scattered,
}
