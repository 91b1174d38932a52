namespace Collectives;

/// <summary>Algorithms for Broadcast.</summary>
public enum BroadcastAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the message size and rank count.</summary>
    Auto = 0,

    /// <summary>Binomial tree from the root, pipelined in segments. Best for small messages.</summary>
    BinomialTree = 1,

    /// <summary>Van de Geijn: binomial scatter of the pieces, then a ring allgather.</summary>
    ScatterAllgather = 2,

    /// <summary>
    /// Shared memory: the root copies the data into its window (in chunks, alternating halves so
    /// copying in and out overlap) and every other rank copies it out. Needs every rank on one
    /// shared-memory segment.
    /// </summary>
    SharedMemory = 3,
}
