using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Scatters the root's <paramref name="send"/> blocks, one to each rank in rank order: afterwards
    /// every rank r's <paramref name="receive"/> holds the root's block at <c>r * receive.Length</c>,
    /// bit for bit. <paramref name="send"/> is not modified, and is ignored on the other ranks.
    /// Blocks until done. (MPI_Scatter.)
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">On the root, the <see cref="Size"/> blocks: exactly <see cref="Size"/> times as long as <paramref name="receive"/>. Ignored (and may be empty) on the other ranks.</param>
    /// <param name="receive">Receives this rank's block. Same length on every rank; empty blocks are allowed.</param>
    /// <param name="root">The rank that sends, in [0, <see cref="Size"/>); the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ScatterAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException">On the root, <paramref name="send"/> is not <see cref="Size"/> times as long as <paramref name="receive"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Scatter<T>(ReadOnlySpan<T> send, Span<T> receive, int root, ScatterAlgorithm algorithm = ScatterAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanRooted<T>(CollectiveKind.Scatter, receive.Length, send.Length, nameof(send), root, (byte)algorithm);
        RunBlocking(call, send, receive);
    }

    /// <summary>
    /// Scatters in place (MPI_IN_PLACE at the root): on the root, <paramref name="buffer"/> holds the
    /// <see cref="Size"/> equal blocks and is not modified (block <paramref name="root"/> is its own);
    /// on every other rank, <paramref name="buffer"/> receives its block. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">On the root, <see cref="Size"/> blocks; elsewhere, receives this rank's block.</param>
    /// <param name="root">The rank that sends, in [0, <see cref="Size"/>); the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ScatterAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException">On the root, the length of <paramref name="buffer"/> is not a multiple of <see cref="Size"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Scatter<T>(Span<T> buffer, int root, ScatterAlgorithm algorithm = ScatterAlgorithm.Auto)
        where T : unmanaged
    {
        RequireRoot(root);
        if (Rank != root)
        {
            Scatter([], buffer, root, algorithm);
            return;
        }

        int block = BlockOf(buffer.Length, nameof(buffer));
        Scatter((ReadOnlySpan<T>)buffer, buffer.Slice(root * block, block), root, algorithm);
    }

    /// <summary>Asynchronous form of <see cref="Scatter{T}(ReadOnlySpan{T}, Span{T}, int, ScatterAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">On the root, the <see cref="Size"/> blocks; ignored (and may be empty) elsewhere. Pinned until the call completes.</param>
    /// <param name="receive">Receives this rank's block; pinned until the call completes.</param>
    /// <param name="root">The rank that sends; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ScatterAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's part is done: when its block is in <paramref name="receive"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException">On the root, <paramref name="send"/> is not <see cref="Size"/> times as long as <paramref name="receive"/>.</exception>
    public ValueTask ScatterAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, int root, ScatterAlgorithm algorithm = ScatterAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanRooted<T>(CollectiveKind.Scatter, receive.Length, send.Length, nameof(send), root, (byte)algorithm);
        return RunPinnedAsync(call, send, receive, cancellationToken);
    }

    /// <summary>Asynchronous, in-place form of <see cref="Scatter{T}(Span{T}, int, ScatterAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">On the root, the <see cref="Size"/> blocks; elsewhere, receives this rank's block. Pinned until the call completes.</param>
    /// <param name="root">The rank that sends; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ScatterAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's part is done.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException">On the root, the length of <paramref name="buffer"/> is not a multiple of <see cref="Size"/>.</exception>
    public ValueTask ScatterAsync<T>(Memory<T> buffer, int root, ScatterAlgorithm algorithm = ScatterAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        RequireRoot(root);
        if (Rank != root)
        {
            return ScatterAsync(ReadOnlyMemory<T>.Empty, buffer, root, algorithm, cancellationToken);
        }

        int block = BlockOf(buffer.Length, nameof(buffer));
        return ScatterAsync((ReadOnlyMemory<T>)buffer, buffer.Slice(root * block, block), root, algorithm, cancellationToken);
    }
}
