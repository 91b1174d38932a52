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
}
