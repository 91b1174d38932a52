using Collectives.Execution;
using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Gathers blocks of per-rank sizes (MPI_Allgatherv with the blocks packed in rank order):
    /// rank r sends <c>counts[r]</c> elements, and every rank's <paramref name="receive"/> gets rank
    /// r's block at <c>counts[0] + ... + counts[r - 1]</c>, bit for bit. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">This rank's block: <c>counts[Rank]</c> elements; not modified.</param>
    /// <param name="receive">Receives every block: exactly the sum of <paramref name="counts"/> elements.</param>
    /// <param name="counts">Every rank's count, one per rank, none negative; the same on every rank (read before anything is sent).</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllgatherAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <exception cref="ArgumentException"><paramref name="counts"/>, <paramref name="send"/> or <paramref name="receive"/> does not fit the others; the exception names which.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank (ranks that disagree about any count get <see cref="CollectiveMismatchException"/>); see the derived types.</exception>
    public void AllgatherV<T>(ReadOnlySpan<T> send, Span<T> receive, ReadOnlySpan<int> counts, AllgatherAlgorithm algorithm = AllgatherAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanAllgatherV<T>(send.Length, nameof(send), receive.Length, nameof(receive), counts, algorithm);
        RunBlocking(call, send, receive, counts);
    }

    /// <summary>
    /// The in-place form of <see cref="AllgatherV{T}(ReadOnlySpan{T}, Span{T}, ReadOnlySpan{int}, AllgatherAlgorithm)"/>
    /// (MPI_IN_PLACE): this rank's block already sits at its place in <paramref name="buffer"/>.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">Every block, packed in rank order: exactly the sum of <paramref name="counts"/> elements; this rank's block is read, the others are overwritten.</param>
    /// <param name="counts">Every rank's count, one per rank, none negative; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllgatherAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <exception cref="ArgumentException"><paramref name="counts"/> or <paramref name="buffer"/> does not fit the other.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void AllgatherV<T>(Span<T> buffer, ReadOnlySpan<int> counts, AllgatherAlgorithm algorithm = AllgatherAlgorithm.Auto)
        where T : unmanaged
    {
        (int offset, int length) = OwnBlockOf(counts);
        var call = PlanAllgatherV<T>(length, nameof(buffer), buffer.Length, nameof(buffer), counts, algorithm);
        RunBlocking(call, buffer.Slice(offset, length), buffer, counts);
    }

    /// <summary>Asynchronous form of <see cref="AllgatherV{T}(ReadOnlySpan{T}, Span{T}, ReadOnlySpan{int}, AllgatherAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">This rank's block: <c>counts[Rank]</c> elements; pinned until the call completes.</param>
    /// <param name="receive">Receives every block: exactly the sum of <paramref name="counts"/> elements.</param>
    /// <param name="counts">Every rank's count, one per rank; read before this method returns, so it may be reused at once.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllgatherAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when every block is in <paramref name="receive"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="counts"/>, <paramref name="send"/> or <paramref name="receive"/> does not fit the others.</exception>
    public ValueTask AllgatherVAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, ReadOnlyMemory<int> counts, AllgatherAlgorithm algorithm = AllgatherAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanAllgatherV<T>(send.Length, nameof(send), receive.Length, nameof(receive), counts.Span, algorithm);
        return RunPinnedAsync(call, send, receive, cancellationToken, counts);
    }

    /// <summary>Asynchronous form of <see cref="AllgatherV{T}(Span{T}, ReadOnlySpan{int}, AllgatherAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">Every block, packed in rank order, this rank's already in place; pinned until the call completes.</param>
    /// <param name="counts">Every rank's count, one per rank; read before this method returns.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllgatherAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when every block of <paramref name="buffer"/> holds its rank's contribution.</returns>
    /// <exception cref="ArgumentException"><paramref name="counts"/> or <paramref name="buffer"/> does not fit the other.</exception>
    public ValueTask AllgatherVAsync<T>(Memory<T> buffer, ReadOnlyMemory<int> counts, AllgatherAlgorithm algorithm = AllgatherAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        (int offset, int length) = OwnBlockOf(counts.Span);
        var call = PlanAllgatherV<T>(length, nameof(buffer), buffer.Length, nameof(buffer), counts.Span, algorithm);
        return RunPinnedAsync(call, buffer.Slice(offset, length), buffer, cancellationToken, counts);
    }

    /// <summary>
    /// Validates the counts and buffers and plans the call: the signature carries the total count
    /// and a digest of the counts (in its root field), so ranks that disagree about any count mismatch.
    /// </summary>
    private CollectiveCall PlanAllgatherV<T>(int sendLength, string sendName, int receiveLength, string receiveName, ReadOnlySpan<int> counts, AllgatherAlgorithm algorithm)
        where T : unmanaged
    {
        int total = BlockOffsets.Total(counts, Size, nameof(counts));
        if (sendLength != counts[Rank])
        {
            throw new ArgumentException($"This rank's block holds {sendLength} elements but counts[{Rank}] is {counts[Rank]}; they must be equal.", sendName);
        }

        if (receiveLength != total)
        {
            throw new ArgumentException($"The receive buffer holds {receiveLength} elements but the counts add up to {total}; they must be equal.", receiveName);
        }

        RequireReceiveFits<T>(receiveLength, receiveName);
        return Plan<T>(CollectiveKind.Allgather, 0, total, BlockOffsets.Digest(counts), (byte)algorithm, _blockOffsets);
    }

    /// <summary>Where this rank's block starts in an in-place AllgatherV, and its length.</summary>
    private (int Offset, int Length) OwnBlockOf(ReadOnlySpan<int> counts) => (OwnOffsetOf(counts), counts[Rank]);
}
