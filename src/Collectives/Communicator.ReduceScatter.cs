using System.Runtime.CompilerServices;
using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Reduces every rank's <paramref name="send"/> element-wise and scatters the result: it is cut
    /// into <see cref="Size"/> blocks of <paramref name="receive"/>'s length, and rank r receives
    /// block r. <paramref name="send"/> is not modified. Each block is combined in one fixed order
    /// whatever the timing, so repeating a call gives the same bits. Blocks until done.
    /// (MPI_Reduce_scatter_block.)
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="send">This rank's contribution: <see cref="Size"/> blocks of <c>receive.Length</c> elements, block r for rank r.</param>
    /// <param name="receive">Receives this rank's block of the result; the same length on every rank, empty allowed. It may not overlap <paramref name="send"/> other than as its own block (the in-place layout).</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceScatterAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="ArgumentException"><paramref name="send"/> is not <see cref="Size"/> times as long as <paramref name="receive"/>, or the two overlap.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> or <paramref name="op"/> on it is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void ReduceScatter<T>(ReadOnlySpan<T> send, Span<T> receive, ReduceOp op, ReduceScatterAlgorithm algorithm = ReduceScatterAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanReduceScatter<T>(send.Length, nameof(send), receive.Length, op, algorithm);
        RequireOwnBlockOrApart(send, receive, receive.Length * Rank, nameof(receive));
        RunBlocking(call, send, receive);
    }

    /// <summary>
    /// Reduce-scatters in place (MPI_IN_PLACE, as NCCL lays it out): <paramref name="buffer"/> holds
    /// this rank's <see cref="Size"/> blocks; afterwards block <see cref="Rank"/> holds the reduction
    /// of every rank's block <see cref="Rank"/>, and the other blocks are left as they were. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="buffer"><see cref="Size"/> blocks of <c>buffer.Length / Size</c> elements (the same on every rank).</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceScatterAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="ArgumentException">The length of <paramref name="buffer"/> is not a multiple of <see cref="Size"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> or <paramref name="op"/> on it is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void ReduceScatter<T>(Span<T> buffer, ReduceOp op, ReduceScatterAlgorithm algorithm = ReduceScatterAlgorithm.Auto)
        where T : unmanaged
    {
        int block = BlockOf(buffer.Length, nameof(buffer));
        var call = PlanReduceScatter<T>(buffer.Length, nameof(buffer), block, op, algorithm);
        RunBlocking(call, (ReadOnlySpan<T>)buffer, buffer.Slice(Rank * block, block));
    }

    /// <summary>Asynchronous form of <see cref="ReduceScatter{T}(ReadOnlySpan{T}, Span{T}, ReduceOp, ReduceScatterAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="send">This rank's contribution, <see cref="Size"/> blocks; pinned until the call completes.</param>
    /// <param name="receive">Receives this rank's block of the result; pinned until the call completes.</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceScatterAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's block is in <paramref name="receive"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="send"/> is not <see cref="Size"/> times as long as <paramref name="receive"/>, or the two overlap.</exception>
    public ValueTask ReduceScatterAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, ReduceOp op, ReduceScatterAlgorithm algorithm = ReduceScatterAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanReduceScatter<T>(send.Length, nameof(send), receive.Length, op, algorithm);
        RequireOwnBlockOrApart(send.Span, receive.Span, receive.Length * Rank, nameof(receive));
        return RunPinnedAsync(call, send, receive, cancellationToken);
    }

    /// <summary>Asynchronous, in-place form of <see cref="ReduceScatter{T}(Span{T}, ReduceOp, ReduceScatterAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="buffer"><see cref="Size"/> equal blocks; block <see cref="Rank"/> receives the result. Pinned until the call completes.</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceScatterAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when block <see cref="Rank"/> of <paramref name="buffer"/> holds the result.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="buffer"/> is not a multiple of <see cref="Size"/>.</exception>
    public ValueTask ReduceScatterAsync<T>(Memory<T> buffer, ReduceOp op, ReduceScatterAlgorithm algorithm = ReduceScatterAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        int block = BlockOf(buffer.Length, nameof(buffer));
        var call = PlanReduceScatter<T>(buffer.Length, nameof(buffer), block, op, algorithm);
        return RunPinnedAsync(call, (ReadOnlyMemory<T>)buffer, buffer.Slice(Rank * block, block), cancellationToken);
    }

    /// <summary>Validates the buffers and plans the call; the signature's count is one rank's block.</summary>
    private Execution.CollectiveCall PlanReduceScatter<T>(int sendLength, string sendName, int receiveLength, ReduceOp op, ReduceScatterAlgorithm algorithm)
        where T : unmanaged
    {
        if ((long)receiveLength * Size != sendLength)
        {
            throw new ArgumentException(
                $"The send buffer holds {sendLength} elements but must hold {Size} blocks (one per rank) of the receive buffer's {receiveLength}: {(long)receiveLength * Size} elements.",
                sendName);
        }

        RequireSendFits<T>(sendLength, sendName);
        return Plan<T>(CollectiveKind.ReduceScatter, op, receiveLength, -1, (byte)algorithm);
    }

    /// <summary>A reduce-scatter's send buffer holds every block: it must fit the bytes one call can move.</summary>
    private static void RequireSendFits<T>(int sendLength, string sendName)
        where T : unmanaged
    {
        if ((long)sendLength * Unsafe.SizeOf<T>() > Array.MaxLength)
        {
            throw new ArgumentException($"A send buffer of {sendLength} x {typeof(T).Name} exceeds the {Array.MaxLength} bytes one call can move; split the call.", sendName);
        }
    }

    /// <summary>
    /// Refuses a receive buffer that overlaps the send buffer anywhere but exactly at this rank's
    /// block, which starts at element <paramref name="ownOffset"/>: the algorithms read the send
    /// buffer while they write the result, and only that layout (the in-place one) is safe.
    /// </summary>
    private static void RequireOwnBlockOrApart<T>(ReadOnlySpan<T> send, ReadOnlySpan<T> receive, int ownOffset, string receiveName)
    {
        if (!receive.IsEmpty && send.Overlaps(receive, out int offset) && offset != ownOffset)
        {
            throw new ArgumentException(
                "The receive buffer overlaps the send buffer other than as this rank's block; pass separate buffers, or use the in-place overload.",
                receiveName);
        }
    }
}
