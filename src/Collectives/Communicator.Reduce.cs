using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Reduces <paramref name="buffer"/> element-wise across all ranks into the root's
    /// <paramref name="buffer"/>; other ranks' buffers are left unchanged. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="buffer">This rank's contribution; at the root, replaced by the result.</param>
    /// <param name="op">The operation.</param>
    /// <param name="root">The rank that receives the result.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> or <paramref name="op"/> on it is not supported.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Reduce<T>(Span<T> buffer, ReduceOp op, int root, ReduceAlgorithm algorithm = ReduceAlgorithm.Auto)
        where T : unmanaged
        => Reduce((ReadOnlySpan<T>)buffer, buffer, op, root, algorithm);

    /// <summary>
    /// Reduces <paramref name="send"/> element-wise across all ranks into <paramref name="receive"/>
    /// at <paramref name="root"/>. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="send">This rank's contribution. Same length on every rank; not modified.</param>
    /// <param name="receive">At the root, receives the result (same length as <paramref name="send"/>); ignored elsewhere and may be empty.</param>
    /// <param name="op">The operation.</param>
    /// <param name="root">The rank that receives the result.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> or <paramref name="op"/> on it is not supported.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Reduce<T>(ReadOnlySpan<T> send, Span<T> receive, ReduceOp op, int root, ReduceAlgorithm algorithm = ReduceAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanReduce<T>(send.Length, receive.Length, op, root, algorithm);
        RunBlocking(call, send, receive);
    }

    /// <summary>Asynchronous, in-place form of <see cref="Reduce{T}(Span{T}, ReduceOp, int, ReduceAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="buffer">This rank's contribution; at the root, replaced by the result. Pinned until the call completes.</param>
    /// <param name="op">The operation.</param>
    /// <param name="root">The rank that receives the result.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's part is done (at the root: when the result is in <paramref name="buffer"/>).</returns>
    public ValueTask ReduceAsync<T>(Memory<T> buffer, ReduceOp op, int root, CancellationToken cancellationToken = default)
        where T : unmanaged
        => ReduceAsync(buffer, buffer, op, root, ReduceAlgorithm.Auto, cancellationToken);

    /// <summary>Asynchronous form of <see cref="Reduce{T}(ReadOnlySpan{T}, Span{T}, ReduceOp, int, ReduceAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="send">This rank's contribution; pinned until the call completes.</param>
    /// <param name="receive">At the root, receives the result; ignored elsewhere and may be empty.</param>
    /// <param name="op">The operation.</param>
    /// <param name="root">The rank that receives the result.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ReduceAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's part is done.</returns>
    public ValueTask ReduceAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, ReduceOp op, int root, ReduceAlgorithm algorithm = ReduceAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanReduce<T>(send.Length, receive.Length, op, root, algorithm);
        return RunPinnedAsync(call, send, receive, cancellationToken);
    }

    private Execution.CollectiveCall PlanReduce<T>(int sendLength, int receiveLength, ReduceOp op, int root, ReduceAlgorithm algorithm)
        where T : unmanaged
    {
        var call = Plan<T>(CollectiveKind.Reduce, op, sendLength, root, (byte)algorithm);
        if (Rank == root)
        {
            RequireSameLength(sendLength, receiveLength, "receive");
        }

        return call;
    }
}
