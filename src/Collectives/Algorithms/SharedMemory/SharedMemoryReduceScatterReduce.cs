namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Reduce in shared memory, reduce-scatter + gather in place: per chunk, every rank reduces its
/// own slice of everyone's contribution (as <see cref="SharedMemoryReduceScatterAllreduce"/>) and
/// the root alone copies the reduced slices into its result.
/// </summary>
internal static class SharedMemoryReduceScatterReduce
{
    public static void Run(SharedMemoryContext context, ReadOnlySpan<byte> send, Span<byte> receive, int elementSize, int root)
    {
        if (send.Length == 0)
        {
            context.Step();
            return;
        }

        int chunk = context.HalfLength / elementSize * elementSize;
        for (int offset = 0; offset < send.Length; offset += chunk)
        {
            int length = Math.Min(chunk, send.Length - offset);
            int half = SharedMemoryReduceScatterAllreduce.ReduceSlices(context, send.Slice(offset, length), elementSize);
            if (context.Rank != root)
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
}
