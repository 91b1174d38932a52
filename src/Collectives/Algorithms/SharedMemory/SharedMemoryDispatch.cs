using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>Runs a call whose algorithm works in the shared-memory windows, on the caller's thread.</summary>
internal static class SharedMemoryDispatch
{
    public static void Run(SharedMemoryContext context, in CollectiveCall call, ReadOnlySpan<byte> send, Span<byte> receive)
    {
        switch (call.Kind)
        {
            case CollectiveKind.Barrier:
                context.Step();
                return;

            case CollectiveKind.Broadcast:
                SharedMemoryBroadcast.Run(context, receive, call.Root);
                return;

            case CollectiveKind.Allreduce when call.Algorithm == (byte)AllreduceAlgorithm.SharedMemoryFlat:
                SharedMemoryFlatAllreduce.Run(context, send, receive, call.ElementSize);
                return;

            case CollectiveKind.Allreduce when call.Algorithm == (byte)AllreduceAlgorithm.SharedMemoryReduceScatter:
                SharedMemoryReduceScatterAllreduce.Run(context, send, receive, call.ElementSize);
                return;

            case CollectiveKind.Reduce when call.Algorithm == (byte)ReduceAlgorithm.SharedMemoryFlat:
                SharedMemoryFlatReduce.Run(context, send, receive, call.ElementSize, call.Root);
                return;

            case CollectiveKind.Reduce when call.Algorithm == (byte)ReduceAlgorithm.SharedMemoryReduceScatter:
                SharedMemoryReduceScatterReduce.Run(context, send, receive, call.ElementSize, call.Root);
                return;

            default:
                throw new InvalidOperationException($"No shared-memory algorithm {call.Algorithm} for {call.Kind}.");
        }
    }
}
