using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Linear scatter (Open MPI's basic_linear): the root sends every rank its block directly, in turn
/// from root + 1 on.
/// <para>
/// Cost: (p-1) alpha + (p-1) n beta, all of it at the root, and nothing forwarded: for large blocks,
/// where a tree's inner ranks would move the same bytes again.
/// </para>
/// <para>
/// The root only sends and the others only receive, so it does not verify the call itself.
/// </para>
/// </summary>
internal static class LinearScatter
{
    /// <summary>Scatters the root's <paramref name="send"/> (laid out as <paramref name="blocks"/> says; ignored elsewhere) into every rank's <paramref name="own"/>.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, BlockLayout blocks, ReadOnlyMemory<byte> send, Memory<byte> own, int root)
    {
        int size = context.Size;
        if (context.Rank != root)
        {
            await context.ReceiveAsync(root, 0, own).ConfigureAwait(false);
            return;
        }

        for (int i = 1; i < size; i++)
        {
            int peer = (root + i) % size;
            await context.SendAsync(peer, 0, send[blocks.Of(peer)]).ConfigureAwait(false);
        }

        RotatedBlocks.CopyUnlessSame(send.Span[blocks.Of(root)], own.Span);
    }
}
