using Collectives.Execution;
using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Alltoall with a count per pair (MPI_Alltoallv with the blocks packed in rank order): this
    /// rank sends <c>sendCounts[j]</c> elements to rank j, the block of <paramref name="send"/> that
    /// starts at <c>sendCounts[0] + ... + sendCounts[j - 1]</c>, and receives <c>receiveCounts[i]</c>
    /// elements from rank i into the block of <paramref name="receive"/> that starts at
    /// <c>receiveCounts[0] + ... + receiveCounts[i - 1]</c>, bit for bit. Blocks until done.
    /// </summary>
    /// <remarks>
    /// <c>receiveCounts[i]</c> on this rank must equal <c>sendCounts[Rank]</c> on rank i: every
    /// message carries its element count, so a pair that disagrees is a
    /// <see cref="CollectiveMismatchException"/> naming both counts, never a short or long block.
    /// The ranks' counts differ, so the selection table is consulted by its largest size (every rank
    /// must choose alike): by default pairwise exchange, or shared memory on one segment.
    /// </remarks>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">The blocks for every rank, packed in rank order: exactly the sum of <paramref name="sendCounts"/> elements; not modified.</param>
    /// <param name="sendCounts">How many elements this rank sends each rank, one per rank, none negative.</param>
    /// <param name="receive">Receives the blocks from every rank, packed in rank order: exactly the sum of <paramref name="receiveCounts"/> elements.</param>
    /// <param name="receiveCounts">How many elements this rank receives from each rank, one per rank, none negative.</param>
    /// <param name="algorithm">Forces an algorithm (<see cref="AlltoallAlgorithm.Pairwise"/>, <see cref="AlltoallAlgorithm.Scattered"/> or <see cref="AlltoallAlgorithm.SharedMemory"/>; Bruck, NodeLeaders and NodeSlices need equal blocks); <see cref="AlltoallAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="ArgumentException">A count list, <paramref name="send"/> or <paramref name="receive"/> does not fit; the exception names which.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported, or <paramref name="algorithm"/> cannot run an AlltoallV or on this communicator.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void AlltoallV<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> sendCounts, Span<T> receive, ReadOnlySpan<int> receiveCounts, AlltoallAlgorithm algorithm = AlltoallAlgorithm.Auto)
        where T : unmanaged
    {
        var call = PlanAlltoallV<T>(send.Length, sendCounts, receive.Length, receiveCounts, algorithm);
        RunBlocking(call, send, receive, receiveCounts, sendCounts);
    }

    /// <summary>Asynchronous form of <see cref="AlltoallV{T}(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T}, ReadOnlySpan{int}, AlltoallAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them.</typeparam>
    /// <param name="send">The blocks for every rank, packed in rank order; pinned until the call completes.</param>
    /// <param name="sendCounts">How many elements this rank sends each rank; read before this method returns.</param>
    /// <param name="receive">Receives the blocks from every rank, packed in rank order; pinned until the call completes.</param>
    /// <param name="receiveCounts">How many elements this rank receives from each rank; read before this method returns.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="AlltoallAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when every block is in <paramref name="receive"/>.</returns>
    /// <exception cref="ArgumentException">A count list, <paramref name="send"/> or <paramref name="receive"/> does not fit; the exception names which.</exception>
    public ValueTask AlltoallVAsync<T>(ReadOnlyMemory<T> send, ReadOnlyMemory<int> sendCounts, Memory<T> receive, ReadOnlyMemory<int> receiveCounts, AlltoallAlgorithm algorithm = AlltoallAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = PlanAlltoallV<T>(send.Length, sendCounts.Span, receive.Length, receiveCounts.Span, algorithm);
        return RunPinnedAsync(call, send, receive, cancellationToken, receiveCounts, sendCounts);
    }

    /// <summary>
    /// Validates the counts and buffers and plans the call. The ranks' counts differ, so the
    /// signature's count is 0 (its root field marks the V form) and every message carries its own.
    /// </summary>
    private CollectiveCall PlanAlltoallV<T>(int sendLength, ReadOnlySpan<int> sendCounts, int receiveLength, ReadOnlySpan<int> receiveCounts, AlltoallAlgorithm algorithm)
        where T : unmanaged
    {
        if (sendLength != BlockOffsets.Total(sendCounts, Size, nameof(sendCounts)))
        {
            throw new ArgumentException($"The send buffer holds {sendLength} elements but the send counts add up to {BlockOffsets.Total(sendCounts, Size, nameof(sendCounts))}; they must be equal.", "send");
        }

        if (receiveLength != BlockOffsets.Total(receiveCounts, Size, nameof(receiveCounts)))
        {
            throw new ArgumentException($"The receive buffer holds {receiveLength} elements but the receive counts add up to {BlockOffsets.Total(receiveCounts, Size, nameof(receiveCounts))}; they must be equal.", "receive");
        }

        RequireReceiveFits<T>(receiveLength, "receive");
        CollectiveCall call = Plan<T>(CollectiveKind.Alltoall, 0, 0, CollectiveSignature.AlltoallVRoot, (byte)algorithm, selectionBytes: int.MaxValue)
            with { Blocks = _blockOffsets, SendBlocks = _sendOffsets };

        // Forced, or named by a selection rule that matches AlltoallV's (largest) size.
        return call.Algorithm.Value is (byte)AlltoallAlgorithm.Bruck or (byte)AlltoallAlgorithm.NodeLeaders or (byte)AlltoallAlgorithm.NodeSlices
            ? throw new NotSupportedException($"The alltoall '{call.Algorithm.Name}' moves other ranks' blocks together and needs them all of one size; force Pairwise or SharedMemory for AlltoallV, or keep '{call.Algorithm.Name}' out of the selection rules that match it.")
            : call;
    }
}
