using System.Runtime.CompilerServices;
using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Gathers every rank's <paramref name="send"/> block into every rank's <paramref name="receive"/>,
    /// in rank order: afterwards rank r's block sits at <c>r * send.Length</c> on every rank, bit for
    /// bit. <paramref name="send"/> is not modified. Blocks until done. (MPI_Allgather.)
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">This rank's block. Same length on every rank; empty blocks are allowed.</param>
    /// <param name="receive">Receives the <see cref="Size"/> blocks: exactly <see cref="Size"/> times as long as <paramref name="send"/>.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllgatherAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="ArgumentException"><paramref name="receive"/> is not <see cref="Size"/> times as long as <paramref name="send"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Allgather<T>(ReadOnlySpan<T> send, Span<T> receive, AllgatherAlgorithm algorithm = AllgatherAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanAllgather<T>(send.Length, receive.Length, nameof(receive), algorithm);
        RunBlocking(call, send, receive);
    }

    /// <summary>
    /// Gathers in place (MPI_IN_PLACE): <paramref name="buffer"/> holds <see cref="Size"/> equal
    /// blocks and this rank's contribution already sits in block <see cref="Rank"/>; afterwards every
    /// block holds its rank's contribution, on every rank. Blocks until done.
    /// </summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer">
    /// <see cref="Size"/> blocks of <c>buffer.Length / Size</c> elements (the same on every rank);
    /// block <see cref="Rank"/> is read, the others are overwritten.
    /// </param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllgatherAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="ArgumentException">The length of <paramref name="buffer"/> is not a multiple of <see cref="Size"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or the communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Allgather<T>(Span<T> buffer, AllgatherAlgorithm algorithm = AllgatherAlgorithm.Auto)
        where T : unmanaged
    {
        int block = BlockOf(buffer.Length, nameof(buffer));
        Allgather((ReadOnlySpan<T>)buffer.Slice(Rank * block, block), buffer, algorithm);
    }

    /// <summary>Asynchronous form of <see cref="Allgather{T}(ReadOnlySpan{T}, Span{T}, AllgatherAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">This rank's block; pinned until the call completes.</param>
    /// <param name="receive">Receives the <see cref="Size"/> blocks: exactly <see cref="Size"/> times as long as <paramref name="send"/>.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllgatherAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when every block is in <paramref name="receive"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="receive"/> is not <see cref="Size"/> times as long as <paramref name="send"/>.</exception>
    public ValueTask AllgatherAsync<T>(ReadOnlyMemory<T> send, Memory<T> receive, AllgatherAlgorithm algorithm = AllgatherAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanAllgather<T>(send.Length, receive.Length, nameof(receive), algorithm);
        return RunPinnedAsync(call, send, receive, cancellationToken);
    }

    /// <summary>Asynchronous, in-place form of <see cref="Allgather{T}(Span{T}, AllgatherAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="buffer"><see cref="Size"/> equal blocks, this rank's contribution in block <see cref="Rank"/>; pinned until the call completes.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AllgatherAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when every block of <paramref name="buffer"/> holds its rank's contribution.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="buffer"/> is not a multiple of <see cref="Size"/>.</exception>
    public ValueTask AllgatherAsync<T>(Memory<T> buffer, AllgatherAlgorithm algorithm = AllgatherAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        int block = BlockOf(buffer.Length, nameof(buffer));
        return AllgatherAsync((ReadOnlyMemory<T>)buffer.Slice(Rank * block, block), buffer, algorithm, cancellationToken);
    }

    /// <summary>Validates the buffers and plans the call; the signature's count is one rank's block.</summary>
    private Execution.CollectiveCall PlanAllgather<T>(int sendLength, int receiveLength, string receiveName, AllgatherAlgorithm algorithm)
        where T : unmanaged
    {
        if ((long)sendLength * Size != receiveLength)
        {
            throw new ArgumentException(
                $"The receive buffer holds {receiveLength} elements but must hold {Size} blocks (one per rank) of the send buffer's {sendLength}: {(long)sendLength * Size} elements.",
                receiveName);
        }

        RequireReceiveFits<T>(receiveLength, receiveName);
        return Plan<T>(CollectiveKind.Allgather, 0, sendLength, -1, (byte)algorithm);
    }

    /// <summary>An allgather's receive buffer is the largest buffer of any call: it must fit the bytes one call can move.</summary>
    private static void RequireReceiveFits<T>(int receiveLength, string receiveName)
        where T : unmanaged
    {
        if ((long)receiveLength * Unsafe.SizeOf<T>() > Array.MaxLength)
        {
            throw new ArgumentException($"A receive buffer of {receiveLength} x {typeof(T).Name} exceeds the {Array.MaxLength} bytes one call can move; split the call.", receiveName);
        }
    }

    /// <summary>The block length of an in-place allgather over <paramref name="length"/> elements.</summary>
    private int BlockOf(int length, string bufferName)
    {
        if (length % Size != 0)
        {
            throw new ArgumentException(
                $"The buffer holds {length} elements, which is not {Size} equal blocks (one per rank); its length must be a multiple of {Size}.",
                bufferName);
        }

        return length / Size;
    }
}
