namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Reduce in shared memory, flat: per chunk, every rank copies its contribution into its window
/// (or slot), one step, then the root reduces all contributions in rank order into its result.
/// </summary>
internal static class SharedMemoryFlatReduce
{
    public static void Run(SharedMemoryContext context, ReadOnlySpan<byte> send, Span<byte> receive, int elementSize, int root)
    {
        bool isRoot = context.Rank == root;
        if (send.Length <= context.InlineLength)
        {
            send.CopyTo(context.Inline(context.Rank));
            context.Step();
            if (isRoot)
            {
                context.ReduceInRankOrder(SharedMemoryContext.InSlot, receive);
            }

            return;
        }

        int chunk = context.HalfLength / elementSize * elementSize;
        for (int offset = 0; offset < send.Length; offset += chunk)
        {
            int length = Math.Min(chunk, send.Length - offset);
            int half = context.NextHalf();
            send.Slice(offset, length).CopyTo(context.Half(context.Rank, half));
            context.Step();
            if (isRoot)
            {
                context.ReduceInRankOrder(half, receive.Slice(offset, length));
            }
        }
    }
}
