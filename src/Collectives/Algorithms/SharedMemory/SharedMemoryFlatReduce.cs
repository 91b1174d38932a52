using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Reduce in shared memory, flat: per chunk, every rank copies its contribution into its window
/// (or slot), one step, then the root alone reduces all contributions in rank order into its
/// result (<see cref="SharedMemoryFlatAllreduce"/> with a single reducer).
/// </summary>
internal static class SharedMemoryFlatReduce
{
    public static void Run(SharedMemoryContext context, in CollectiveCall call, ReadOnlySpan<byte> send, Span<byte> receive)
        => SharedMemoryFlatAllreduce.Run(context, send, receive, call.ElementSize, reducer: call.Root);
}
