using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Every rank sends every rank a block: block j of this rank's <paramref name="send"/> goes to
    /// rank j, and block i of its <paramref name="receive"/> gets rank i's block j = this rank, bit
    /// for bit. <paramref name="send"/> is not modified. Blocks until done. (MPI_Alltoall.)
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send"><see cref="Size"/> equal blocks, block j for rank j; the same block length on every rank (empty blocks are allowed).</param>
    /// <param name="receive">Receives <see cref="Size"/> blocks, block i from rank i: exactly as long as <paramref name="send"/>.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AlltoallAlgorithm.Auto"/> uses the selection table (by the block size).</param>
    /// <exception cref="ArgumentException"><paramref name="send"/> is not <see cref="Size"/> equal blocks, or <paramref name="receive"/> is not as long.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Alltoall<T>(ReadOnlySpan<T> send, Span<T> receive, AlltoallAlgorithm algorithm = AlltoallAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanAlltoall<T>(send.Length, receive.Length, nameof(receive), algorithm);
        RunBlocking(call, send, receive);
    }

    /// <summary>
    /// Alltoall in place (MPI_IN_PLACE): <paramref name="buffer"/> holds <see cref="Size"/> equal
    /// blocks, block j for rank j; afterwards block i holds rank i's block for this rank. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer"><see cref="Size"/> equal blocks (the same length on every rank); read, then overwritten.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AlltoallAlgorithm.Auto"/> uses the selection table (by the block size).</param>
    /// <exception cref="ArgumentException">The length of <paramref name="buffer"/> is not a multiple of <see cref="Size"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Alltoall<T>(Span<T> buffer, AlltoallAlgorithm algorithm = AlltoallAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanAlltoall<T>(buffer.Length, buffer.Length, nameof(buffer), algorithm);
        RunBlocking(call, buffer, buffer);
    }

    /// <summary>Asynchronous form of <see cref="Alltoall{T}(ReadOnlySpan{T}, Span{T}, AlltoallAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send"><see cref="Size"/> equal blocks, block j for rank j; pinned until the call completes.</param>
    /// <param name="receive">Receives <see cref="Size"/> blocks, block i from rank i: exactly as long as <paramref name="send"/>.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AlltoallAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when every block is in <paramref name="receive"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="send"/> is not <see cref="Size"/> equal blocks, or <paramref name="receive"/> is not as long.</exception>
    public ValueTask AlltoallAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, AlltoallAlgorithm algorithm = AlltoallAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanAlltoall<T>(send.Length, receive.Length, nameof(receive), algorithm);
        return RunPinnedAsync(call, send, receive, cancellationToken);
    }

    /// <summary>Asynchronous, in-place form of <see cref="Alltoall{T}(Span{T}, AlltoallAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer"><see cref="Size"/> equal blocks, block j for rank j; pinned until the call completes.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AlltoallAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when block i of <paramref name="buffer"/> holds rank i's block for this rank.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="buffer"/> is not a multiple of <see cref="Size"/>.</exception>
    public ValueTask AlltoallAsync<T>(Memory<T> buffer, AlltoallAlgorithm algorithm = AlltoallAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanAlltoall<T>(buffer.Length, buffer.Length, nameof(buffer), algorithm);
        return RunPinnedAsync(call, buffer, buffer, cancellationToken);
    }

    /// <summary>Validates the buffers and plans the call; the signature's count is one block.</summary>
    private Execution.CollectiveCall PlanAlltoall<T>(int sendLength, int receiveLength, string receiveName, AlltoallAlgorithm algorithm)
        where T : unmanaged
    {
        string sendName = receiveName == "buffer" ? receiveName : "send";
        int block = BlockOf(sendLength, sendName);
        RequireSameLength(sendLength, receiveLength, receiveName);
        RequireReceiveFits<T>(receiveLength, receiveName);
        return Plan<T>(CollectiveKind.Alltoall, 0, block, -1, (byte)algorithm);
    }
}
