using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Bruck's allgather (Bruck et al. 1997; MPICH's allgather_intra_brucks): every rank works in a
/// rotated copy of the buffer in which place i holds block rank + i (mod p). It starts holding
/// place 0, its own block; in the step at distance d it sends its first min(d, p - d) places to
/// rank - d and receives as many from rank + d into places d onwards, so the places held double
/// every step. At the end the copy is rotated back into rank order.
/// <para>
/// Cost: ceil(log2 p) alpha + (p-1) n beta, plus copying the p n bytes once into place: the
/// latency of recursive doubling on any rank count, for small blocks.
/// </para>
/// <para>
/// Every step exchanges a message, empty blocks included, and the messages spread as in a
/// dissemination barrier, so each rank hears from every other rank through checked messages: the
/// algorithm verifies the call itself.
/// </para>
/// </summary>
internal static class BruckAllgather
{
    /// <summary>Gathers in place: <paramref name="buffer"/> holds the blocks laid out as <paramref name="blocks"/> says, this rank's already at its place.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, BlockLayout blocks, Memory<byte> buffer)
    {
        int rank = context.Rank;
        int size = context.Size;
        if (size == 1)
        {
            return;
        }

        using ScratchBuffer scratch = context.RentScratch(buffer.Length);
        Memory<byte> rotated = scratch.Memory;
        buffer[blocks.Of(rank)].CopyTo(rotated);
        int step = 0;
        for (int distance = 1; distance < size; distance <<= 1, step++)
        {
            // Places [0, count) go to rank - distance, which holds them at [distance, distance + count);
            // rank + distance's first places are this rank's places from distance on.
            int count = Math.Min(distance, size - distance);
            await context.SendReceiveAsync(
                (rank - distance + size) % size, rotated[..blocks.WrappedBytes(rank, count)],
                (rank + distance) % size, rotated.Slice(blocks.WrappedBytes(rank, distance), blocks.WrappedBytes(rank + distance, count)),
                step).ConfigureAwait(false);
        }

        RotatedBlocks.ToRankOrder(blocks, rank, rotated.Span, buffer.Span);
    }
}
