using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Broadcast in shared memory: per chunk, the root copies the data into its window (a message
/// that fits goes in its slot), one step, every other rank copies it out. Chunks alternate window
/// halves, so the root copies chunk k+1 in while the others copy chunk k out.
/// </summary>
internal static class SharedMemoryBroadcast
{
    /// <summary>Broadcasts the root's <paramref name="receive"/> (the call's one buffer) into every rank's.</summary>
    public static void Run(SharedMemoryContext context, in CollectiveCall call, ReadOnlySpan<byte> send, Span<byte> receive)
        => Run(context, receive, call.Root);

    private static void Run(SharedMemoryContext context, Span<byte> buffer, int root)
    {
        bool isRoot = context.Rank == root;
        if (buffer.Length <= context.InlineLength)
        {
            if (isRoot)
            {
                buffer.CopyTo(context.Inline(root));
            }

            context.Step();
            if (!isRoot)
            {
                context.Inline(root)[..buffer.Length].CopyTo(buffer);
            }

            return;
        }

        for (int offset = 0; offset < buffer.Length; offset += context.HalfLength)
        {
            int length = Math.Min(context.HalfLength, buffer.Length - offset);
            int half = context.NextHalf();
            if (isRoot)
            {
                buffer.Slice(offset, length).CopyTo(context.Half(root, half));
            }

            context.Step();
            if (!isRoot)
            {
                context.Half(root, half)[..length].CopyTo(buffer.Slice(offset, length));
            }
        }
    }
}
