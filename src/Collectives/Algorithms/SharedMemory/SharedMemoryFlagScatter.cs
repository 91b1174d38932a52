using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Scatter in shared memory by the flag protocol (see <see cref="SharedMemoryContext"/>'s flag
/// calls): the root copies every block into its flag buffer at once, raises its flag and returns;
/// every other rank waits only for the root's flag, copies its own block out and acknowledges. No
/// rank waits for every rank to arrive (<see cref="SharedMemoryScatter"/> does, at its step), which
/// matters when ranks outnumber cores. All the blocks together must fit a flag buffer; larger calls
/// go by <see cref="SharedMemoryScatter"/>.
/// </summary>
internal static class SharedMemoryFlagScatter
{
    /// <summary>Scatters the root's <paramref name="send"/> (laid out as <paramref name="blocks"/> says; ignored elsewhere) into every rank's <paramref name="own"/>.</summary>
    public static void Run(SharedMemoryContext context, in CollectiveCall call, BlockLayout blocks, ReadOnlySpan<byte> send, Span<byte> own, int root)
    {
        if (blocks.TotalBytes > context.FlagPayloadLength)
        {
            SharedMemoryScatter.Run(context, call, blocks, send, own, root);
            return;
        }

        // Flat: each rank reads its block from the root's buffer, so no rank forwards.
        var tree = new FanOutTree(context.Size, root, Math.Max(1, context.Size - 1));
        context.BeginFlagCall();
        if (context.Rank == root)
        {
            RotatedBlocks.CopyUnlessSame(send[blocks.Of(root)], own);
            send[..blocks.TotalBytes].CopyTo(context.ClaimBuffer(tree));
            context.PublishBuffer();
        }
        else
        {
            context.AwaitParent(root)[blocks.Of(context.Rank)].CopyTo(own);
            context.Acknowledge();
        }

        context.EndFlagCall();
    }
}
