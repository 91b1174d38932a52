using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Allreduce in shared memory, flat: per chunk, every rank copies its contribution into its
/// window (a message that fits goes in its slot, next to the call signature), one step, then every
/// rank reduces all contributions in rank order into its result. One synchronisation per chunk;
/// each rank reads p chunks.
/// </summary>
internal static class SharedMemoryFlatAllreduce
{
    public static void Run(SharedMemoryContext context, in CollectiveCall call, ReadOnlySpan<byte> send, Span<byte> receive)
        => Run(context, send, receive, call.ElementSize, EveryRank);

    /// <summary>The <c>reducer</c> that makes every rank compute the result.</summary>
    private const int EveryRank = -1;

    /// <summary>Runs the flat algorithm; only <paramref name="reducer"/> (or every rank for <see cref="EveryRank"/>) computes a result.</summary>
    internal static void Run(SharedMemoryContext context, ReadOnlySpan<byte> send, Span<byte> receive, int elementSize, int reducer)
    {
        bool reduces = reducer == EveryRank || reducer == context.Rank;
        if (send.Length <= context.InlineLength)
        {
            send.CopyTo(context.Inline(context.Rank));
            context.Step();
            if (reduces)
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

            // In place (send aliasing receive) is safe: this chunk of send is already copied.
            if (reduces)
            {
                context.ReduceInRankOrder(half, receive.Slice(offset, length));
            }
        }
    }
}
