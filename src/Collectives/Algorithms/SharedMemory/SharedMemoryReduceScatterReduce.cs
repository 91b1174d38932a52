using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Reduce in shared memory, reduce-scatter + gather in place: per chunk, every rank reduces its
/// own slice of everyone's contribution and the root alone copies the reduced slices into its
/// result (<see cref="SharedMemoryReduceScatterAllreduce"/> with a single gatherer).
/// </summary>
internal static class SharedMemoryReduceScatterReduce
{
    public static void Run(SharedMemoryContext context, in CollectiveCall call, ReadOnlySpan<byte> send, Span<byte> receive)
        => SharedMemoryReduceScatterAllreduce.Run(context, send, receive, call.ElementSize, gatherer: call.Root);
}
