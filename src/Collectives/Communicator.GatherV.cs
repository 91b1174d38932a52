using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Gathers blocks of per-rank sizes into the root (MPI_Gatherv with the blocks packed in rank
    /// order): rank r sends <c>counts[r]</c> elements, and the root's <paramref name="receive"/> gets
    /// rank r's block at <c>counts[0] + ... + counts[r - 1]</c>, bit for bit. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">This rank's block: <c>counts[Rank]</c> elements; not modified.</param>
    /// <param name="receive">On the root, receives every block: exactly the sum of <paramref name="counts"/> elements. Ignored (and may be empty) elsewhere.</param>
    /// <param name="counts">Every rank's count, one per rank, none negative; the same on every rank (unlike MPI, every rank passes them: inner ranks of a tree forward blocks, and the call signature carries their digest).</param>
    /// <param name="root">The rank that receives, in [0, <see cref="Size"/>); the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="GatherAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException"><paramref name="counts"/>, <paramref name="send"/> or <paramref name="receive"/> does not fit the others; the exception names which.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank (ranks that disagree about any count get <see cref="CollectiveMismatchException"/>); see the derived types.</exception>
    public void GatherV<T>(ReadOnlySpan<T> send, Span<T> receive, ReadOnlySpan<int> counts, int root, GatherAlgorithm algorithm = GatherAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanRootedV<T>(CollectiveKind.Gather, send.Length, nameof(send), receive.Length, nameof(receive), counts, root, (byte)algorithm);
        RunBlocking(call, send, receive, counts);
    }

    /// <summary>
    /// The in-place form of <see cref="GatherV{T}(ReadOnlySpan{T}, Span{T}, ReadOnlySpan{int}, int, GatherAlgorithm)"/>
    /// (MPI_IN_PLACE at the root): on the root, <paramref name="buffer"/> holds every block packed in
    /// rank order, the root's own already at its place; elsewhere it is the rank's block, sent and not modified.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">On the root, exactly the sum of <paramref name="counts"/> elements; elsewhere <c>counts[Rank]</c>.</param>
    /// <param name="counts">Every rank's count, one per rank, none negative; the same on every rank.</param>
    /// <param name="root">The rank that receives; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="GatherAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException"><paramref name="counts"/> or <paramref name="buffer"/> does not fit the other.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void GatherV<T>(Span<T> buffer, ReadOnlySpan<int> counts, int root, GatherAlgorithm algorithm = GatherAlgorithm.Auto)
        where T : unmanaged
    {
        RequireRoot(root);
        if (Rank != root)
        {
            GatherV((ReadOnlySpan<T>)buffer, [], counts, root, algorithm);
            return;
        }

        int offset = OwnOffsetOf(counts);
        var call = PlanRootedV<T>(CollectiveKind.Gather, counts[Rank], nameof(buffer), buffer.Length, nameof(buffer), counts, root, (byte)algorithm);
        RunBlocking(call, buffer.Slice(offset, counts[Rank]), buffer, counts);
    }

    /// <summary>Asynchronous form of <see cref="GatherV{T}(ReadOnlySpan{T}, Span{T}, ReadOnlySpan{int}, int, GatherAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">This rank's block: <c>counts[Rank]</c> elements; pinned until the call completes.</param>
    /// <param name="receive">On the root, receives every block: exactly the sum of <paramref name="counts"/> elements; ignored elsewhere.</param>
    /// <param name="counts">Every rank's count, one per rank; read before this method returns, so it may be reused at once.</param>
    /// <param name="root">The rank that receives; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="GatherAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's part is done: on the root, when every block is in <paramref name="receive"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException"><paramref name="counts"/>, <paramref name="send"/> or <paramref name="receive"/> does not fit the others.</exception>
    public ValueTask GatherVAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, ReadOnlyMemory<int> counts, int root, GatherAlgorithm algorithm = GatherAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanRootedV<T>(CollectiveKind.Gather, send.Length, nameof(send), receive.Length, nameof(receive), counts.Span, root, (byte)algorithm);
        return RunPinnedAsync(call, send, receive, cancellationToken, counts);
    }

    /// <summary>Asynchronous form of <see cref="GatherV{T}(Span{T}, ReadOnlySpan{int}, int, GatherAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">On the root, every block packed in rank order, its own already in place; elsewhere this rank's block. Pinned until the call completes.</param>
    /// <param name="counts">Every rank's count, one per rank; read before this method returns.</param>
    /// <param name="root">The rank that receives; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="GatherAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's part is done.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException"><paramref name="counts"/> or <paramref name="buffer"/> does not fit the other.</exception>
    public ValueTask GatherVAsync<T>(Memory<T> buffer, ReadOnlyMemory<int> counts, int root, GatherAlgorithm algorithm = GatherAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        RequireRoot(root);
        if (Rank != root)
        {
            return GatherVAsync((ReadOnlyMemory<T>)buffer, Memory<T>.Empty, counts, root, algorithm, cancellationToken);
        }

        int offset = OwnOffsetOf(counts.Span);
        var call = PlanRootedV<T>(CollectiveKind.Gather, counts.Span[Rank], nameof(buffer), buffer.Length, nameof(buffer), counts.Span, root, (byte)algorithm);
        return RunPinnedAsync(call, buffer.Slice(offset, counts.Span[Rank]), buffer, cancellationToken, counts);
    }
}
