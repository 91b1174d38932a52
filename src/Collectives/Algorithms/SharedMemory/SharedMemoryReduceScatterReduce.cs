namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Reduce in shared memory, reduce-scatter + gather in place: per chunk, every rank reduces its
/// own slice of everyone's contribution and the root alone copies the reduced slices into its
/// result (<see cref="SharedMemoryReduceScatterAllreduce"/> with a single gatherer).
/// </summary>
internal static class SharedMemoryReduceScatterReduce
{
    public static void Run(SharedMemoryContext context, ReadOnlySpan<byte> send, Span<byte> receive, int elementSize, int root)
        => SharedMemoryReduceScatterAllreduce.Run(context, send, receive, elementSize, gatherer: root);
}
