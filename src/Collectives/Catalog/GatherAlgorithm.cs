namespace Collectives;

/// <summary>
/// Algorithms for Gather, to force one per call: each member but Auto is a row of the algorithm
/// catalog, which names it for selection strings. New members go last, since callers compile the
/// values in.
/// </summary>
public enum GatherAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the block size and rank count.</summary>
    Auto,

    /// <summary>
    /// Binomial tree (the tree of the binomial broadcast and reduce): every rank receives its
    /// children's subtrees, then sends its own subtree's blocks to its parent in one message.
    /// ceil(log2 p) steps, but inner ranks forward what they gathered: best for small blocks.
    /// </summary>
    BinomialTree,

    /// <summary>
    /// Linear: every rank sends its block straight to the root, which receives them in turn.
    /// p-1 messages into the root and nothing forwarded: best for large blocks.
    /// </summary>
    Linear,

    /// <summary>
    /// Shared memory: every rank copies its block into its window (in chunks, alternating halves)
    /// and the root copies every block out. Needs every rank on one shared-memory segment.
    /// </summary>
    SharedMemory,

    /// <summary>
    /// Node-aware, by host leaders: each host gathers its ranks' blocks to one leader through
    /// shared memory (the root leads its own host), and the leaders send their hosts' blocks to
    /// the root over the network, one message per host. Needs ranks on several hosts, some host
    /// running more than one.
    /// </summary>
    NodeLeaders,
}
