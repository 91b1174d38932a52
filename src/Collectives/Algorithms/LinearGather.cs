using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Linear gather (Open MPI's basic_linear): every rank sends its block straight to the root, which
/// receives them in turn (from root + 1 on) into their places.
/// <para>
/// Cost: (p-1) alpha + (p-1) n beta, all of it at the root, and nothing forwarded: for large blocks,
/// where a tree's inner ranks would move the same bytes again.
/// </para>
/// <para>
/// The root only receives and the others only send, so it does not verify the call itself.
/// </para>
/// </summary>
internal static class LinearGather
{
    /// <summary>Gathers <paramref name="own"/> of every rank into the root's <paramref name="receive"/> (laid out as <paramref name="blocks"/> says; ignored elsewhere).</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, BlockLayout blocks, ReadOnlyMemory<byte> own, Memory<byte> receive, int root)
    {
        int size = context.Size;
        if (context.Rank != root)
        {
            await context.SendAsync(root, 0, own).ConfigureAwait(false);
            return;
        }

        RotatedBlocks.CopyUnlessSame(own.Span, receive.Span[blocks.Of(root)]);
        for (int i = 1; i < size; i++)
        {
            int peer = (root + i) % size;
            await context.ReceiveAsync(peer, 0, receive[blocks.Of(peer)]).ConfigureAwait(false);
        }
    }
}
