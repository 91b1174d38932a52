using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Barrier in shared memory: one step. Every rank publishes its step number beside its call
/// signature and waits until every rank has published it, so no rank leaves before all entered.
/// </summary>
internal static class SharedMemoryBarrier
{
    public static void Run(SharedMemoryContext context, in CollectiveCall call, ReadOnlySpan<byte> send, Span<byte> receive)
        => context.Step();
}
