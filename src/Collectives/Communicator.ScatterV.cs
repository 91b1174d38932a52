using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Scatters blocks of per-rank sizes from the root (MPI_Scatterv with the blocks packed in rank
    /// order): rank r's <paramref name="receive"/> gets the <c>counts[r]</c> elements of the root's
    /// <paramref name="send"/> that start at <c>counts[0] + ... + counts[r - 1]</c>, bit for bit. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">On the root, every block: exactly the sum of <paramref name="counts"/> elements; not modified. Ignored (and may be empty) elsewhere.</param>
    /// <param name="receive">Receives this rank's block: <c>counts[Rank]</c> elements.</param>
    /// <param name="counts">Every rank's count, one per rank, none negative; the same on every rank (unlike MPI, every rank passes them: inner ranks of a tree forward blocks, and the call signature carries their digest).</param>
    /// <param name="root">The rank that sends, in [0, <see cref="Size"/>); the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ScatterAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException"><paramref name="counts"/>, <paramref name="send"/> or <paramref name="receive"/> does not fit the others; the exception names which.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank (ranks that disagree about any count get <see cref="CollectiveMismatchException"/>); see the derived types.</exception>
    public void ScatterV<T>(ReadOnlySpan<T> send, Span<T> receive, ReadOnlySpan<int> counts, int root, ScatterAlgorithm algorithm = ScatterAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanRootedV<T>(CollectiveKind.Scatter, receive.Length, nameof(receive), send.Length, nameof(send), counts, root, (byte)algorithm);
        RunBlocking(call, send, receive, counts);
    }

    /// <summary>
    /// The in-place form of <see cref="ScatterV{T}(ReadOnlySpan{T}, Span{T}, ReadOnlySpan{int}, int, ScatterAlgorithm)"/>
    /// (MPI_IN_PLACE at the root): on the root, <paramref name="buffer"/> holds every block packed in
    /// rank order and is not modified; elsewhere it receives the rank's block.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">On the root, exactly the sum of <paramref name="counts"/> elements; elsewhere <c>counts[Rank]</c>.</param>
    /// <param name="counts">Every rank's count, one per rank, none negative; the same on every rank.</param>
    /// <param name="root">The rank that sends; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ScatterAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException"><paramref name="counts"/> or <paramref name="buffer"/> does not fit the other.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void ScatterV<T>(Span<T> buffer, ReadOnlySpan<int> counts, int root, ScatterAlgorithm algorithm = ScatterAlgorithm.Auto)
        where T : unmanaged
    {
        RequireRoot(root);
        if (Rank != root)
        {
            ScatterV([], buffer, counts, root, algorithm);
            return;
        }

        int offset = OwnOffsetOf(counts);
        var call = PlanRootedV<T>(CollectiveKind.Scatter, counts[Rank], nameof(buffer), buffer.Length, nameof(buffer), counts, root, (byte)algorithm);
        RunBlocking(call, buffer, buffer.Slice(offset, counts[Rank]), counts);
    }

    /// <summary>Asynchronous form of <see cref="ScatterV{T}(ReadOnlySpan{T}, Span{T}, ReadOnlySpan{int}, int, ScatterAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">On the root, every block: exactly the sum of <paramref name="counts"/> elements; ignored elsewhere. Pinned until the call completes.</param>
    /// <param name="receive">Receives this rank's block: <c>counts[Rank]</c> elements; pinned until the call completes.</param>
    /// <param name="counts">Every rank's count, one per rank; read before this method returns, so it may be reused at once.</param>
    /// <param name="root">The rank that sends; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ScatterAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's block is in <paramref name="receive"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException"><paramref name="counts"/>, <paramref name="send"/> or <paramref name="receive"/> does not fit the others.</exception>
    public ValueTask ScatterVAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, ReadOnlyMemory<int> counts, int root, ScatterAlgorithm algorithm = ScatterAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanRootedV<T>(CollectiveKind.Scatter, receive.Length, nameof(receive), send.Length, nameof(send), counts.Span, root, (byte)algorithm);
        return RunPinnedAsync(call, send, receive, cancellationToken, counts);
    }

    /// <summary>Asynchronous form of <see cref="ScatterV{T}(Span{T}, ReadOnlySpan{int}, int, ScatterAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">On the root, every block packed in rank order; elsewhere receives this rank's block. Pinned until the call completes.</param>
    /// <param name="counts">Every rank's count, one per rank; read before this method returns.</param>
    /// <param name="root">The rank that sends; the same on every rank.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="ScatterAlgorithm.Auto"/> uses the selection table (by the average block).</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's part is done.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank.</exception>
    /// <exception cref="ArgumentException"><paramref name="counts"/> or <paramref name="buffer"/> does not fit the other.</exception>
    public ValueTask ScatterVAsync<T>(Memory<T> buffer, ReadOnlyMemory<int> counts, int root, ScatterAlgorithm algorithm = ScatterAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        RequireRoot(root);
        if (Rank != root)
        {
            return ScatterVAsync(ReadOnlyMemory<T>.Empty, buffer, counts, root, algorithm, cancellationToken);
        }

        int offset = OwnOffsetOf(counts.Span);
        var call = PlanRootedV<T>(CollectiveKind.Scatter, counts.Span[Rank], nameof(buffer), buffer.Length, nameof(buffer), counts.Span, root, (byte)algorithm);
        return RunPinnedAsync(call, buffer, buffer.Slice(offset, counts.Span[Rank]), cancellationToken, counts);
    }
}
