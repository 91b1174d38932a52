using Collectives.Execution;
using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Reduces blocks of per-rank sizes and scatters them (MPI_Reduce_scatter): every rank's
    /// <paramref name="send"/> holds the blocks packed in rank order, block r of <c>counts[r]</c>
    /// elements, and rank r receives the element-wise reduction of every rank's block r. Each block
    /// is combined in one fixed order whatever the timing. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="send">This rank's contribution: exactly the sum of <paramref name="counts"/> elements; not modified.</param>
    /// <param name="receive">Receives this rank's block: <c>counts[Rank]</c> elements. It may not overlap <paramref name="send"/> other than as its own block.</param>
    /// <param name="counts">Every rank's count, one per rank, none negative; the same on every rank (read before anything is sent).</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceScatterAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <exception cref="ArgumentException"><paramref name="counts"/>, <paramref name="send"/> or <paramref name="receive"/> does not fit the others; the exception names which.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> or <paramref name="op"/> on it is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank (ranks that disagree about any count get <see cref="CollectiveMismatchException"/>); see the derived types.</exception>
    public void ReduceScatterV<T>(ReadOnlySpan<T> send, Span<T> receive, ReadOnlySpan<int> counts, ReduceOp op, ReduceScatterAlgorithm algorithm = ReduceScatterAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanReduceScatterV<T>(send.Length, nameof(send), receive.Length, nameof(receive), counts, op, algorithm);
        RequireOwnBlockOrApart(send, receive, OwnBlockOf(counts).Offset, nameof(receive));
        RunBlocking(call, send, receive, counts);
    }

    /// <summary>
    /// The in-place form of <see cref="ReduceScatterV{T}(ReadOnlySpan{T}, Span{T}, ReadOnlySpan{int}, ReduceOp, ReduceScatterAlgorithm)"/>:
    /// <paramref name="buffer"/> holds this rank's blocks packed in rank order; afterwards this
    /// rank's block holds the result, and the other blocks are left as they were.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="buffer">Every block, packed in rank order: exactly the sum of <paramref name="counts"/> elements.</param>
    /// <param name="counts">Every rank's count, one per rank, none negative; the same on every rank.</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceScatterAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <exception cref="ArgumentException"><paramref name="counts"/> or <paramref name="buffer"/> does not fit the other.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> or <paramref name="op"/> on it is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void ReduceScatterV<T>(Span<T> buffer, ReadOnlySpan<int> counts, ReduceOp op, ReduceScatterAlgorithm algorithm = ReduceScatterAlgorithm.Auto)
        where T : unmanaged
    {
        (int offset, int length) = OwnBlockOf(counts);
        var call = PlanReduceScatterV<T>(buffer.Length, nameof(buffer), length, nameof(buffer), counts, op, algorithm);
        RunBlocking(call, (ReadOnlySpan<T>)buffer, buffer.Slice(offset, length), counts);
    }

    /// <summary>Asynchronous form of <see cref="ReduceScatterV{T}(ReadOnlySpan{T}, Span{T}, ReadOnlySpan{int}, ReduceOp, ReduceScatterAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="send">This rank's contribution: the sum of <paramref name="counts"/> elements; pinned until the call completes.</param>
    /// <param name="receive">Receives this rank's block: <c>counts[Rank]</c> elements; pinned until the call completes.</param>
    /// <param name="counts">Every rank's count, one per rank; read before this method returns, so it may be reused at once.</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceScatterAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's block is in <paramref name="receive"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="counts"/>, <paramref name="send"/> or <paramref name="receive"/> does not fit the others.</exception>
    public ValueTask ReduceScatterVAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, ReadOnlyMemory<int> counts, ReduceOp op, ReduceScatterAlgorithm algorithm = ReduceScatterAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanReduceScatterV<T>(send.Length, nameof(send), receive.Length, nameof(receive), counts.Span, op, algorithm);
        RequireOwnBlockOrApart(send.Span, receive.Span, OwnBlockOf(counts.Span).Offset, nameof(receive));
        return RunPinnedAsync(call, send, receive, cancellationToken, counts);
    }

    /// <summary>Asynchronous form of <see cref="ReduceScatterV{T}(Span{T}, ReadOnlySpan{int}, ReduceOp, ReduceScatterAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="buffer">Every block, packed in rank order; this rank's receives the result. Pinned until the call completes.</param>
    /// <param name="counts">Every rank's count, one per rank; read before this method returns.</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceScatterAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's block of <paramref name="buffer"/> holds the result.</returns>
    /// <exception cref="ArgumentException"><paramref name="counts"/> or <paramref name="buffer"/> does not fit the other.</exception>
    public ValueTask ReduceScatterVAsync<T>(Memory<T> buffer, ReadOnlyMemory<int> counts, ReduceOp op, ReduceScatterAlgorithm algorithm = ReduceScatterAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        (int offset, int length) = OwnBlockOf(counts.Span);
        var call = PlanReduceScatterV<T>(buffer.Length, nameof(buffer), length, nameof(buffer), counts.Span, op, algorithm);
        return RunPinnedAsync(call, (ReadOnlyMemory<T>)buffer, buffer.Slice(offset, length), cancellationToken, counts);
    }

    /// <summary>
    /// Validates the counts and buffers and plans the call: the signature carries the total count
    /// and a digest of the counts (in its root field), so ranks that disagree about any count mismatch.
    /// </summary>
    private CollectiveCall PlanReduceScatterV<T>(int sendLength, string sendName, int receiveLength, string receiveName, ReadOnlySpan<int> counts, ReduceOp op, ReduceScatterAlgorithm algorithm)
        where T : unmanaged
    {
        int total = BlockOffsets.Total(counts, Size, nameof(counts));
        if (sendLength != total)
        {
            throw new ArgumentException($"The send buffer holds {sendLength} elements but the counts add up to {total}; they must be equal.", sendName);
        }

        if (receiveLength != counts[Rank])
        {
            throw new ArgumentException($"The receive buffer holds {receiveLength} elements but counts[{Rank}] is {counts[Rank]}; they must be equal.", receiveName);
        }

        RequireSendFits<T>(sendLength, sendName);
        return Plan<T>(CollectiveKind.ReduceScatter, op, total, BlockOffsets.Digest(counts), (byte)algorithm, _blockOffsets);
    }
}
