using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Gather in shared memory: per chunk of the block, every rank but the root copies its own chunk
/// into its window (when the largest block fits, blocks go in the slots, next to the call
/// signature), one step, then the root copies every rank's chunk out into its place. One
/// synchronisation per chunk of the largest block; chunks alternate window halves, so a rank copies
/// chunk k+1 in while the root still copies chunk k out.
/// </summary>
internal static class SharedMemoryGather
{
    /// <summary>Gathers <paramref name="own"/> of every rank into the root's <paramref name="receive"/> (laid out as <paramref name="blocks"/> says; ignored elsewhere).</summary>
    public static void Run(SharedMemoryContext context, in CollectiveCall call, BlockLayout blocks, ReadOnlySpan<byte> own, Span<byte> receive, int root)
    {
        if (context.Rank == root)
        {
            RotatedBlocks.CopyUnlessSame(own, receive[blocks.Of(root)]);
        }

        int largest = blocks.LargestBlockBytes;
        if (largest <= context.InlineLength)
        {
            CopyChunk(context, SharedMemoryContext.InSlot, blocks, own, receive, root, 0, largest);
            return;
        }

        int chunk = context.HalfLength / call.ElementSize * call.ElementSize;
        for (int offset = 0; offset < largest; offset += chunk)
        {
            CopyChunk(context, context.NextHalf(), blocks, own, receive, root, offset, chunk);
        }
    }

    private static void CopyChunk(SharedMemoryContext context, int half, BlockLayout blocks, ReadOnlySpan<byte> own, Span<byte> receive, int root, int offset, int chunk)
    {
        if (context.Rank != root)
        {
            ReadOnlySpan<byte> mine = SharedMemoryAllgather.ChunkOf(own, offset, chunk);
            mine.CopyTo(context.Contribution(context.Rank, half, mine.Length));
        }

        context.Step();
        if (context.Rank != root)
        {
            return;
        }

        for (int rank = 0; rank < context.Size; rank++)
        {
            if (rank != root)
            {
                Span<byte> theirs = SharedMemoryAllgather.ChunkOf(receive[blocks.Of(rank)], offset, chunk);
                context.Contribution(rank, half, theirs.Length).CopyTo(theirs);
            }
        }
    }
}
