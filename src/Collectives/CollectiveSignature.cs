using Collectives.Reduction;
using Collectives.Transport;

namespace Collectives;

/// <summary>
/// What a rank believes the current collective call is. Every message carries its sender's
/// signature, so ranks that disagree find out at the first message instead of hanging or
/// mixing unrelated data.
/// </summary>
/// <param name="Sequence">Number of the call on this communicator, from 1.</param>
/// <param name="Kind">The collective.</param>
/// <param name="Op">The reduction operation (Reduce, Allreduce and ReduceScatter), else 0.</param>
/// <param name="DataType">Code of the element type (<see cref="DataType.Code"/>), 0 for Barrier.</param>
/// <param name="Count">
/// Element count (for Allgather, ReduceScatter, Gather and Scatter, of one rank's block; for
/// Alltoall, of one block, 0 for AlltoallV; for AllgatherV and ReduceScatterV, of all blocks
/// together; for GatherV and ScatterV, of all blocks together in the low 32 bits and a 31-bit
/// digest of the per-rank counts, never 0, in the high 32, so ranks that disagree about any count
/// mismatch).
/// </param>
/// <param name="Root">Root rank for Reduce, Broadcast, Gather and Scatter; -2 for AlltoallV (whose count is 0: each of its messages carries its pair's count); for a variable-count Allgather or ReduceScatter (AllgatherV, ReduceScatterV) a 31-bit digest of the per-rank counts, so ranks that disagree about any of them mismatch; else -1.</param>
/// <param name="Algorithm">The algorithm the rank chose, as the value of the collective's algorithm enum (see the catalog's names in README).</param>
public readonly record struct CollectiveSignature(
    ulong Sequence, CollectiveKind Kind, ReduceOp Op, byte DataType, long Count, int Root, byte Algorithm)
{
    /// <summary>
    /// Which communicator the call was made on: 0 for one made by <see cref="Communicator.CreateLocal"/>,
    /// <see cref="Communicator.Create"/> or <see cref="Communicator.ConnectAsync(CommunicatorOptions?, CancellationToken)"/>,
    /// else the identity every member of a sub-communicator (<see cref="Communicator.Split(int, int)"/>,
    /// <see cref="Communicator.Duplicate"/>) derived alike. Part of every message's tag, so a message of one
    /// communicator is never taken for one of another that shares its ranks.
    /// </summary>
    public uint CommunicatorId { get; init; }

    /// <summary>
    /// Packs the signature, an algorithm step and a segment number into a message tag. The
    /// communicator's identity is folded into the high half of the sequence's word (exclusive or),
    /// so the count keeps all 64 bits of its own (GatherV and ScatterV need them): two tags are
    /// equal exactly when sequence, identity and the rest are, as sequences never differ by 2^32.
    /// </summary>
    /// <param name="step">Step of the algorithm that sends the message.</param>
    /// <param name="segment">Segment number within the step.</param>
    /// <returns>The tag.</returns>
    internal MessageTag ToTag(int step, int segment) => new(
        Sequence ^ ((ulong)CommunicatorId << 32),
        (ulong)Kind | ((ulong)Op << 8) | ((ulong)DataType << 16) | ((ulong)Algorithm << 24) | ((ulong)(uint)Root << 32),
        (ulong)Count,
        (uint)step | ((ulong)(uint)segment << 32));

    /// <summary>
    /// Unpacks a tag made by <see cref="ToTag"/>, for describing another rank's call: sequence and
    /// communicator come back exactly for the first 2^32 calls, which is when they are ever shown.
    /// </summary>
    /// <param name="tag">The tag.</param>
    /// <param name="step">The step it names.</param>
    /// <param name="segment">The segment it names.</param>
    /// <returns>The signature it carries.</returns>
    internal static CollectiveSignature FromTag(MessageTag tag, out int step, out int segment)
    {
        step = (int)(uint)tag.Word3;
        segment = (int)(uint)(tag.Word3 >> 32);
        return new CollectiveSignature(
            (uint)tag.Word0,
            (CollectiveKind)(byte)tag.Word1,
            (ReduceOp)(byte)(tag.Word1 >> 8),
            (byte)(tag.Word1 >> 16),
            (long)tag.Word2,
            (int)(uint)(tag.Word1 >> 32),
            (byte)(tag.Word1 >> 24))
        {
            CommunicatorId = (uint)(tag.Word0 >> 32),
        };
    }

    /// <summary>
    /// The root field of an AlltoallV: its counts differ from rank to rank, so the call's count is 0
    /// and each message carries its pair's element count instead (a receiver expecting another
    /// count throws <see cref="CollectiveMismatchException"/> saying so).
    /// </summary>
    internal const int AlltoallVRoot = -2;

    /// <inheritdoc />
    public override string ToString() => CommunicatorId == 0
        ? Describe()
        : $"{Describe()} on communicator {CommunicatorId:x8}";

    private string Describe()
    {
        string type = Reduction.DataType.TryFromCode(DataType, out DataType decoded) ? decoded.ToString() : $"type {DataType}";
        string algorithm = Catalog.AlgorithmCatalog.Find(Kind, Algorithm)?.Name ?? Algorithm.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Kind switch
        {
            CollectiveKind.Barrier => $"#{Sequence} Barrier [{algorithm}]",
            CollectiveKind.Broadcast => $"#{Sequence} Broadcast({Count} x {type}, root {Root}) [{algorithm}]",
            CollectiveKind.Reduce => $"#{Sequence} Reduce({Op}, {Count} x {type}, root {Root}) [{algorithm}]",
            CollectiveKind.Allreduce => $"#{Sequence} Allreduce({Op}, {Count} x {type}) [{algorithm}]",
            CollectiveKind.Allgather when Root >= 0 => $"#{Sequence} AllgatherV({Count} x {type} in all, counts {Root:x8}) [{algorithm}]",
            CollectiveKind.Allgather => $"#{Sequence} Allgather({Count} x {type} per rank) [{algorithm}]",
            CollectiveKind.ReduceScatter when Root >= 0 => $"#{Sequence} ReduceScatterV({Op}, {Count} x {type} in all, counts {Root:x8}) [{algorithm}]",
            CollectiveKind.ReduceScatter => $"#{Sequence} ReduceScatter({Op}, {Count} x {type} per rank) [{algorithm}]",
            CollectiveKind.Gather or CollectiveKind.Scatter when Count >> 32 != 0 => $"#{Sequence} {Kind}V({(uint)Count} x {type} in all, counts {Count >> 32:x8}, root {Root}) [{algorithm}]",
            CollectiveKind.Gather or CollectiveKind.Scatter => $"#{Sequence} {Kind}({Count} x {type} per rank, root {Root}) [{algorithm}]",
            CollectiveKind.Alltoall when Root == AlltoallVRoot => $"#{Sequence} AlltoallV({type}, counts per pair) [{algorithm}]",
            CollectiveKind.Alltoall => $"#{Sequence} Alltoall({Count} x {type} per pair) [{algorithm}]",
            CollectiveKind.Send => $"Send({Count} x {type} to rank {Root}, tag {Sequence})",
            CollectiveKind.Receive => $"Receive(up to {Count} x {type} from rank {Root}, tag {Sequence})",
            _ => $"#{Sequence} unknown collective {(int)Kind}",
        };
    }
}
