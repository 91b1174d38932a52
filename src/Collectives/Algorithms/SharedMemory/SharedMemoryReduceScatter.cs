using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Reduce-scatter in shared memory: the reduce-scatter phase of
/// <see cref="SharedMemoryReduceScatterAllreduce"/> with this rank's block as its slice. Per chunk,
/// every rank copies the same piece of each of its p blocks into its window (all of them in its
/// slot when they fit there), one step, then reduces its own block's piece from every rank's
/// window straight into its result (<see cref="SharedMemoryContext.CombineOthers"/>, the order
/// the allreduce uses). One synchronisation per chunk (every rank takes the same steps, by the
/// largest block); each rank copies its vector of N bytes in and reads N bytes out (its block
/// from every window), whatever the rank count.
/// Chunks alternate window halves, so a rank copies chunk k+1 in while slower ranks still read chunk k.
/// </summary>
internal static class SharedMemoryReduceScatter
{
    /// <summary>
    /// Writes this rank's block of the reduction of every rank's <paramref name="send"/> (laid out
    /// as <paramref name="blocks"/> says) into <paramref name="receive"/>, which is apart from
    /// <paramref name="send"/> or exactly this rank's block of it.
    /// </summary>
    public static void Run(SharedMemoryContext context, in CollectiveCall call, BlockLayout blocks, ReadOnlySpan<byte> send, Span<byte> receive)
    {
        int largest = blocks.LargestBlockBytes;
        if ((long)largest * context.Size <= context.InlineLength)
        {
            ReduceChunk(context, SharedMemoryContext.InSlot, blocks, send, receive, 0, largest);
            return;
        }

        int piece = context.HalfLength / context.Size / call.ElementSize * call.ElementSize;
        if (piece == 0)
        {
            throw new NotSupportedException(
                $"A shared-memory window half of {context.HalfLength} bytes cannot hold one {call.ElementSize}-byte element for each of {context.Size} ranks; raise COLLECTIVES_SHM_WINDOW or pick a message algorithm.");
        }

        for (int offset = 0; offset < largest; offset += piece)
        {
            ReduceChunk(context, context.NextHalf(), blocks, send, receive, offset, piece);
        }
    }

    /// <summary>
    /// Bytes [<paramref name="offset"/>, + <paramref name="piece"/>) of every block: this rank's
    /// pieces into its window half (or slot), block b's at b x <paramref name="piece"/>; a step;
    /// then this rank's piece of every rank's area reduced into its place in <paramref name="receive"/>.
    /// </summary>
    private static void ReduceChunk(SharedMemoryContext context, int half, BlockLayout blocks, ReadOnlySpan<byte> send, Span<byte> receive, int offset, int piece)
    {
        Span<byte> area = context.Area(context.Rank, half);
        for (int block = 0; block < context.Size; block++)
        {
            ReadOnlySpan<byte> own = send[blocks.Of(block)];
            own[ChunkOf(own.Length, offset, piece)].CopyTo(area[(block * piece)..]);
        }

        context.Step();

        // In place, the result's piece is this rank's own piece of send, already copied in above.
        Span<byte> result = receive[ChunkOf(receive.Length, offset, piece)];
        int mine = context.Rank * piece;
        Range slice = mine..(mine + result.Length);
        area[slice].CopyTo(result);
        context.CombineOthers(half, slice, result);
    }

    /// <summary>Bytes [<paramref name="offset"/>, + <paramref name="piece"/>) of a block of <paramref name="length"/> bytes, cut at its end (empty past it).</summary>
    private static Range ChunkOf(int length, int offset, int piece)
        => Math.Min(offset, length)..Math.Min(offset + piece, length);
}
