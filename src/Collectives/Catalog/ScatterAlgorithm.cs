namespace Collectives;

/// <summary>
/// Algorithms for Scatter, to force one per call: each member but Auto is a row of the algorithm
/// catalog, which names it for selection strings. New members go last, since callers compile the
/// values in.
/// </summary>
public enum ScatterAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the block size and rank count.</summary>
    Auto,

    /// <summary>
    /// Binomial tree (the tree of the binomial broadcast and reduce): every rank receives its
    /// subtree's blocks from its parent in one message and passes each child its subtree's.
    /// ceil(log2 p) steps, but inner ranks forward blocks: best for small blocks.
    /// </summary>
    BinomialTree,

    /// <summary>
    /// Linear: the root sends every rank its block directly. p-1 messages out of the root and
    /// nothing forwarded: best for large blocks.
    /// </summary>
    Linear,

    /// <summary>
    /// Shared memory: the root copies every rank's block into its window (in chunks, alternating
    /// halves) and every rank copies its own out. Needs every rank on one shared-memory segment.
    /// </summary>
    SharedMemory,

    /// <summary>
    /// Shared memory by flags: the root copies every block into its window at once, raises a flag
    /// and returns; every other rank waits only for that flag and copies its block out. No rank
    /// waits for all to arrive, which wins for small blocks when ranks outnumber cores. A call that
    /// disagrees (another root or count on some rank) may return on a rank before the others enter
    /// it: it is reported by that call or, at the latest, by the next call that uses the windows.
    /// All blocks together must fit a flag buffer (8000 bytes with the default 1 MiB windows), or
    /// the call goes as <see cref="SharedMemory"/>. Needs every rank on one shared-memory segment.
    /// </summary>
    SharedMemoryFlags,

    /// <summary>
    /// Node-aware, by host leaders: the root sends every host's blocks to one leader per host over
    /// the network, one message per host (the root leads its own host), and each leader scatters
    /// them to its host's ranks through shared memory. Needs ranks on several hosts, some host
    /// running more than one.
    /// </summary>
    NodeLeaders,
}
