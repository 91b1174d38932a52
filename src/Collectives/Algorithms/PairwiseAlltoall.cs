using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Pairwise-exchange alltoall (MPICH's alltoall_intra_pairwise and alltoallv's scattered form, one
/// pair at a time): in step s = 1..p-1 every rank sends its block for rank + s and receives
/// rank - s's block for it, after copying its own block across locally.
/// <para>
/// Cost: (p-1) alpha + (p-1) n beta for blocks of n bytes: every block travels once, directly, and
/// each step has one send and one receive per rank, so no rank is flooded. For large blocks.
/// </para>
/// <para>
/// Every rank receives a checked message (empty ones too) from every other rank directly, so the
/// algorithm verifies the call itself. Each message carries its pair's element count, so a rank
/// whose receive count disagrees with its sender's send count finds out at once (AlltoallV).
/// </para>
/// </summary>
internal static class PairwiseAlltoall
{
    /// <summary>Sends block j of <paramref name="send"/> to rank j and receives rank i's block for this rank into block i of <paramref name="receive"/>.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, BlockLayout sendBlocks, ReadOnlyMemory<byte> send, BlockLayout receiveBlocks, Memory<byte> receive)
    {
        int rank = context.Rank;
        int size = context.Size;
        RotatedBlocks.CopyUnlessSame(send.Span[sendBlocks.Of(rank)], receive.Span[receiveBlocks.Of(rank)]);
        for (int step = 1; step < size; step++)
        {
            int destination = (rank + step) % size;
            int source = (rank - step + size) % size;
            await context.SendReceiveCountedAsync(destination, send[sendBlocks.Of(destination)], source, receive[receiveBlocks.Of(source)], step).ConfigureAwait(false);
        }
    }
}
