using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Gathers every rank's <paramref name="send"/> block into the root's <paramref name="receive"/>,
    /// in rank order: afterwards rank r's block sits at <c>r * send.Length</c> of the root's
    /// <paramref name="receive"/>, bit for bit. <paramref name="send"/> is not modified; other ranks'
    /// <paramref name="receive"/> is ignored and not written. Blocks until done. (MPI_Gather.)
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">This rank's block. Same length on every rank; empty blocks are allowed.</param>
    /// <param name="receive">On the root, receives the <see cref="Size"/> blocks: exactly <see cref="Size"/> times as long as <paramref name="send"/>. Ignored (and may be empty) on the other ranks.</param>
    /// <param name="root">The rank that receives, in [0, <see cref="Size"/>); the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="GatherAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException">On the root, <paramref name="receive"/> is not <see cref="Size"/> times as long as <paramref name="send"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Gather<T>(ReadOnlySpan<T> send, Span<T> receive, int root, GatherAlgorithm algorithm = GatherAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanRooted<T>(CollectiveKind.Gather, send.Length, receive.Length, nameof(receive), root, (byte)algorithm);
        RunBlocking(call, send, receive);
    }

    /// <summary>
    /// Gathers in place (MPI_IN_PLACE at the root): on the root, <paramref name="buffer"/> holds
    /// <see cref="Size"/> equal blocks with the root's own already in block <paramref name="root"/>,
    /// and afterwards every block holds its rank's; on every other rank, <paramref name="buffer"/> is
    /// its block, which is sent and not modified. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">On the root, <see cref="Size"/> blocks (block <paramref name="root"/> is read, the others overwritten); elsewhere, this rank's block.</param>
    /// <param name="root">The rank that receives, in [0, <see cref="Size"/>); the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="GatherAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException">On the root, the length of <paramref name="buffer"/> is not a multiple of <see cref="Size"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Gather<T>(Span<T> buffer, int root, GatherAlgorithm algorithm = GatherAlgorithm.Auto)
        where T : unmanaged
    {
        RequireRoot(root);
        if (Rank != root)
        {
            Gather((ReadOnlySpan<T>)buffer, [], root, algorithm);
            return;
        }

        int block = BlockOf(buffer.Length, nameof(buffer));
        Gather((ReadOnlySpan<T>)buffer.Slice(root * block, block), buffer, root, algorithm);
    }

    /// <summary>Asynchronous form of <see cref="Gather{T}(ReadOnlySpan{T}, Span{T}, int, GatherAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">This rank's block; pinned until the call completes.</param>
    /// <param name="receive">On the root, receives the <see cref="Size"/> blocks; ignored (and may be empty) elsewhere.</param>
    /// <param name="root">The rank that receives; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="GatherAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's part is done: on the root, when every block is in <paramref name="receive"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException">On the root, <paramref name="receive"/> is not <see cref="Size"/> times as long as <paramref name="send"/>.</exception>
    public ValueTask GatherAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, int root, GatherAlgorithm algorithm = GatherAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanRooted<T>(CollectiveKind.Gather, send.Length, receive.Length, nameof(receive), root, (byte)algorithm);
        return RunPinnedAsync(call, send, receive, cancellationToken);
    }

    /// <summary>Asynchronous, in-place form of <see cref="Gather{T}(Span{T}, int, GatherAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">On the root, <see cref="Size"/> blocks, its own in block <paramref name="root"/>; elsewhere, this rank's block. Pinned until the call completes.</param>
    /// <param name="root">The rank that receives; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="GatherAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's part is done: on the root, when every block holds its rank's contribution.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException">On the root, the length of <paramref name="buffer"/> is not a multiple of <see cref="Size"/>.</exception>
    public ValueTask GatherAsync<T>(Memory<T> buffer, int root, GatherAlgorithm algorithm = GatherAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        RequireRoot(root);
        if (Rank != root)
        {
            return GatherAsync((ReadOnlyMemory<T>)buffer, Memory<T>.Empty, root, algorithm, cancellationToken);
        }

        int block = BlockOf(buffer.Length, nameof(buffer));
        return GatherAsync((ReadOnlyMemory<T>)buffer.Slice(root * block, block), buffer, root, algorithm, cancellationToken);
    }
}
