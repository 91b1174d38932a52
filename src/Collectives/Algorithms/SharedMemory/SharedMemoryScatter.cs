using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Scatter in shared memory: per chunk, the root copies every rank's part of its block into its
/// window, one part per rank side by side (when every block fits, in its slot), one step, then every
/// rank copies its own part out. A window half holds p parts, so a chunk is a p-th of it; one
/// synchronisation per chunk of the largest block. Chunks alternate window halves, so the root
/// copies chunk k+1 in while slower ranks still copy chunk k out.
/// </summary>
internal static class SharedMemoryScatter
{
    /// <summary>Scatters the root's <paramref name="send"/> (laid out as <paramref name="blocks"/> says; ignored elsewhere) into every rank's <paramref name="own"/>.</summary>
    public static void Run(SharedMemoryContext context, in CollectiveCall call, BlockLayout blocks, ReadOnlySpan<byte> send, Span<byte> own, int root)
    {
        int size = context.Size;
        if (context.Rank == root)
        {
            RotatedBlocks.CopyUnlessSame(send[blocks.Of(root)], own);
        }

        int largest = blocks.LargestBlockBytes;
        if ((long)largest * size <= context.InlineLength)
        {
            CopyChunk(context, SharedMemoryContext.InSlot, blocks, send, own, root, 0, largest);
            return;
        }

        int chunk = Math.Max(call.ElementSize, context.HalfLength / size / call.ElementSize * call.ElementSize);
        for (int offset = 0; offset < largest; offset += chunk)
        {
            CopyChunk(context, context.NextHalf(), blocks, send, own, root, offset, chunk);
        }
    }

    /// <summary>Moves bytes [<paramref name="offset"/>, + <paramref name="chunk"/>) of every block through part r (at r * chunk) of the root's half or slot.</summary>
    private static void CopyChunk(SharedMemoryContext context, int half, BlockLayout blocks, ReadOnlySpan<byte> send, Span<byte> own, int root, int offset, int chunk)
    {
        Span<byte> parts = half == SharedMemoryContext.InSlot ? context.Inline(root) : context.Half(root, half);
        if (context.Rank == root)
        {
            for (int rank = 0; rank < context.Size; rank++)
            {
                if (rank != root)
                {
                    ReadOnlySpan<byte> theirs = SharedMemoryAllgather.ChunkOf(send[blocks.Of(rank)], offset, chunk);
                    theirs.CopyTo(parts.Slice(rank * chunk, theirs.Length));
                }
            }
        }

        context.Step();
        if (context.Rank != root)
        {
            Span<byte> mine = SharedMemoryAllgather.ChunkOf(own, offset, chunk);
            parts.Slice(context.Rank * chunk, mine.Length).CopyTo(mine);
        }
    }
}
