namespace Collectives;

/// <summary>Which collective operation a call is.</summary>
public enum CollectiveKind : byte
{
    /// <summary>Barrier: no rank leaves before every rank has entered.</summary>
    Barrier = 1,

    /// <summary>Broadcast: the root's buffer is copied to every rank.</summary>
    Broadcast = 2,

    /// <summary>Reduce: the element-wise reduction of every rank's buffer lands at the root.</summary>
    Reduce = 3,

    /// <summary>Allreduce: the element-wise reduction of every rank's buffer lands at every rank.</summary>
    Allreduce = 4,

    /// <summary>Allgather: every rank's block lands at every rank, in rank order.</summary>
    Allgather = 5,

    /// <summary>ReduceScatter: the element-wise reduction of every rank's buffer, cut in one block per rank; rank r receives block r.</summary>
    ReduceScatter = 6,

    /// <summary>Gather: every rank's block lands at the root, in rank order.</summary>
    Gather = 7,

    /// <summary>Scatter: the root's blocks, in rank order, land one at each rank.</summary>
    Scatter = 8,

    /// <summary>Alltoall: every rank sends a block to every rank; rank j's block i lands at rank i in place j.</summary>
    Alltoall = 9,

    /// <summary>
    /// A point-to-point send (<see cref="Communicator.Send{T}(ReadOnlySpan{T}, int, int)"/>): not a
    /// collective and without algorithms, named here so its failures describe it. Its signature
    /// carries the peer in <see cref="CollectiveSignature.Root"/> and the tag in <see cref="CollectiveSignature.Sequence"/>.
    /// </summary>
    Send = 32,

    /// <summary>A point-to-point receive (<see cref="Communicator.Receive{T}(Span{T}, int, int)"/>); see <see cref="Send"/>.</summary>
    Receive = 33,
}
