using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Allreduce in shared memory, reduce-scatter + allgather in place: per chunk, every rank copies
/// its contribution into its window; step; each rank reduces its own slice of every rank's chunk
/// into that slice of its own window; step; every rank copies all reduced slices into its result.
/// Each rank moves about 3n bytes whatever the rank count; every rank copies the same bits.
/// </summary>
internal static class SharedMemoryReduceScatterAllreduce
{
    /// <summary>The <c>gatherer</c> that makes every rank copy the result out.</summary>
    private const int EveryRank = -1;

    public static void Run(SharedMemoryContext context, in CollectiveCall call, ReadOnlySpan<byte> send, Span<byte> receive)
        => Run(context, send, receive, call.ElementSize, EveryRank);

    /// <summary>Runs the algorithm; only <paramref name="gatherer"/> (or every rank for <see cref="EveryRank"/>) copies the result out.</summary>
    internal static void Run(SharedMemoryContext context, ReadOnlySpan<byte> send, Span<byte> receive, int elementSize, int gatherer)
    {
        if (send.Length == 0)
        {
            context.Step();
            return;
        }

        bool gathers = gatherer == EveryRank || gatherer == context.Rank;
        int chunk = context.HalfLength / elementSize * elementSize;
        for (int offset = 0; offset < send.Length; offset += chunk)
        {
            int length = Math.Min(chunk, send.Length - offset);
            int half = ReduceSlices(context, send.Slice(offset, length), elementSize);
            if (!gathers)
            {
                continue;
            }

            for (int rank = 0; rank < context.Size; rank++)
            {
                Range slice = SliceLayout.Of(length, elementSize, rank, context.Size);
                context.Half(rank, half)[slice].CopyTo(receive.Slice(offset, length)[slice]);
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="chunk"/> in, reduces this rank's slice of everyone's, and returns
    /// (after a step) the half in which every rank's window holds its reduced slice.
    /// </summary>
    private static int ReduceSlices(SharedMemoryContext context, ReadOnlySpan<byte> chunk, int elementSize)
    {
        int half = context.NextHalf();
        chunk.CopyTo(context.Half(context.Rank, half));
        context.Step();

        // Only this rank reads or writes its own slice of its own window in this step.
        Range mine = SliceLayout.Of(chunk.Length, elementSize, context.Rank, context.Size);
        context.CombineOthers(half, mine, context.Half(context.Rank, half)[mine]);
        context.Step();
        return half;
    }
}
