using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Reduces <paramref name="buffer"/> element-wise across all ranks, in place: afterwards every
    /// rank's buffer holds the same result, bit for bit. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="buffer">This rank's contribution, replaced by the result. Same length on every rank.</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllreduceAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> or <paramref name="op"/> on it is not supported.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Allreduce<T>(Span<T> buffer, ReduceOp op, AllreduceAlgorithm algorithm = AllreduceAlgorithm.Auto)
        where T : unmanaged
        => Allreduce((ReadOnlySpan<T>)buffer, buffer, op, algorithm);

    /// <summary>
    /// Reduces <paramref name="send"/> element-wise across all ranks into <paramref name="receive"/>
    /// on every rank; <paramref name="send"/> is not modified. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="send">This rank's contribution. Same length on every rank.</param>
    /// <param name="receive">Receives the result; same length as <paramref name="send"/>.</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllreduceAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> or <paramref name="op"/> on it is not supported.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Allreduce<T>(ReadOnlySpan<T> send, Span<T> receive, ReduceOp op, AllreduceAlgorithm algorithm = AllreduceAlgorithm.Auto)
        where T : unmanaged
    {
        RequireSameLength(send.Length, receive.Length, nameof(receive));
        var call = Plan<T>(CollectiveKind.Allreduce, op, send.Length, -1, (byte)algorithm);
        RunBlocking(call, send, receive);
    }

    /// <summary>Asynchronous, in-place form of <see cref="Allreduce{T}(Span{T}, ReduceOp, AllreduceAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="buffer">This rank's contribution, replaced by the result; pinned until the call completes.</param>
    /// <param name="op">The operation.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when the result is in <paramref name="buffer"/>.</returns>
    public ValueTask AllreduceAsync<T>(Memory<T> buffer, ReduceOp op, CancellationToken cancellationToken = default)
        where T : unmanaged
        => AllreduceAsync(buffer, buffer, op, AllreduceAlgorithm.Auto, cancellationToken);

    /// <summary>Asynchronous form of <see cref="Allreduce{T}(ReadOnlySpan{T}, Span{T}, ReduceOp, AllreduceAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="send">This rank's contribution; pinned until the call completes.</param>
    /// <param name="receive">Receives the result; same length as <paramref name="send"/>.</param>
    /// <param name="op">The operation.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllreduceAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when the result is in <paramref name="receive"/>.</returns>
    public ValueTask AllreduceAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, ReduceOp op, AllreduceAlgorithm algorithm = AllreduceAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        RequireSameLength(send.Length, receive.Length, nameof(receive));
        var call = Plan<T>(CollectiveKind.Allreduce, op, send.Length, -1, (byte)algorithm);
        return RunPinnedAsync(call, send, receive, cancellationToken);
    }
}
