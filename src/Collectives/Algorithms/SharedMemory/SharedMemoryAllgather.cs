using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Allgather in shared memory: per chunk of the block, every rank copies its own chunk into its
/// window (when the largest block fits, blocks go in the slots, next to the call signature), one
/// step, then copies every other rank's chunk out into its place. One synchronisation per chunk of
/// the largest block (every rank takes the same steps; a shorter block's chunks run out early);
/// chunks alternate window halves, so a rank copies chunk k+1 in while slower ranks still copy
/// chunk k out.
/// </summary>
internal static class SharedMemoryAllgather
{
    /// <summary>Gathers in place: <paramref name="buffer"/> holds the blocks laid out as <paramref name="blocks"/> says, this rank's already at its place.</summary>
    public static void Run(SharedMemoryContext context, in CollectiveCall call, BlockLayout blocks, Span<byte> buffer)
    {
        int largest = blocks.LargestBlockBytes;
        if (largest <= context.InlineLength)
        {
            CopyChunk(context, SharedMemoryContext.InSlot, blocks, buffer, 0, largest);
            return;
        }

        int chunk = context.HalfLength / call.ElementSize * call.ElementSize;
        for (int offset = 0; offset < largest; offset += chunk)
        {
            CopyChunk(context, context.NextHalf(), blocks, buffer, offset, chunk);
        }
    }

    /// <summary>
    /// Moves bytes [<paramref name="offset"/>, + <paramref name="chunk"/>) of every block: this
    /// rank's into its window half (or slot), a step, every other rank's out into its place.
    /// </summary>
    private static void CopyChunk(SharedMemoryContext context, int half, BlockLayout blocks, Span<byte> buffer, int offset, int chunk)
    {
        ReadOnlySpan<byte> own = ChunkOf(buffer[blocks.Of(context.Rank)], offset, chunk);
        own.CopyTo(half == SharedMemoryContext.InSlot ? context.Inline(context.Rank) : context.Half(context.Rank, half));
        context.Step();
        for (int rank = 0; rank < context.Size; rank++)
        {
            if (rank != context.Rank)
            {
                Span<byte> theirs = ChunkOf(buffer[blocks.Of(rank)], offset, chunk);
                context.Contribution(rank, half, theirs.Length).CopyTo(theirs);
            }
        }
    }

    /// <summary>Bytes [<paramref name="offset"/>, + <paramref name="chunk"/>) of <paramref name="block"/>, cut at its end (empty past it).</summary>
    internal static Span<byte> ChunkOf(Span<byte> block, int offset, int chunk)
        => offset >= block.Length ? Span<byte>.Empty : block.Slice(offset, Math.Min(chunk, block.Length - offset));

    /// <summary>Bytes [<paramref name="offset"/>, + <paramref name="chunk"/>) of <paramref name="block"/>, cut at its end (empty past it).</summary>
    internal static ReadOnlySpan<byte> ChunkOf(ReadOnlySpan<byte> block, int offset, int chunk)
        => offset >= block.Length ? ReadOnlySpan<byte>.Empty : block.Slice(offset, Math.Min(chunk, block.Length - offset));
}
