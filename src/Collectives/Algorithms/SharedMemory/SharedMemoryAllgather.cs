using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Allgather in shared memory: per chunk of the block, every rank copies its own chunk into its
/// window (a block that fits goes in its slot, next to the call signature), one step, then copies
/// every other rank's chunk out into its place. One synchronisation per chunk; chunks alternate
/// window halves, so a rank copies chunk k+1 in while slower ranks still copy chunk k out.
/// </summary>
internal static class SharedMemoryAllgather
{
    /// <summary>Gathers in place: <paramref name="buffer"/> holds p equal blocks, this rank's already at its place.</summary>
    public static void Run(SharedMemoryContext context, in CollectiveCall call, Span<byte> buffer)
    {
        int block = buffer.Length / context.Size;
        ReadOnlySpan<byte> own = buffer.Slice(context.Rank * block, block);
        if (block <= context.InlineLength)
        {
            own.CopyTo(context.Inline(context.Rank));
            context.Step();
            CopyOthersOut(context, SharedMemoryContext.InSlot, buffer, block, 0, block);
            return;
        }

        int chunk = context.HalfLength / call.ElementSize * call.ElementSize;
        for (int offset = 0; offset < block; offset += chunk)
        {
            int length = Math.Min(chunk, block - offset);
            int half = context.NextHalf();
            own.Slice(offset, length).CopyTo(context.Half(context.Rank, half));
            context.Step();
            CopyOthersOut(context, half, buffer, block, offset, length);
        }
    }

    /// <summary>Copies bytes [<paramref name="offset"/>, + <paramref name="length"/>) of every other rank's block from its window (or slot) into its place.</summary>
    private static void CopyOthersOut(SharedMemoryContext context, int half, Span<byte> buffer, int block, int offset, int length)
    {
        for (int rank = 0; rank < context.Size; rank++)
        {
            if (rank != context.Rank)
            {
                context.Contribution(rank, half, length).CopyTo(buffer.Slice(rank * block + offset, length));
            }
        }
    }
}
