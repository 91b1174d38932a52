using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Topology;

namespace Collectives.Algorithms;

/// <summary>
/// Binomial-tree scatter (MPICH's scatter_intra_binomial) on the tree of the binomial broadcast
/// and reduce: every rank receives its subtree's blocks from its parent in one message, passes
/// each child (largest subtree first) its subtree's part, and keeps the first block, its own. The
/// root first rotates its blocks into the order relative to itself (<see cref="BinomialSubtree"/>).
/// <para>
/// Cost: ceil(log2 p) alpha + (p-1) n beta out of the root, but inner ranks forward blocks: best
/// for small blocks.
/// </para>
/// <para>
/// The root only sends and the leaves only receive, so it does not verify the call itself.
/// </para>
/// </summary>
internal static class BinomialTreeScatter
{
    /// <summary>Scatters the root's <paramref name="send"/> (laid out as <paramref name="blocks"/> says; ignored elsewhere) into every rank's <paramref name="own"/>.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, BlockLayout blocks, ReadOnlyMemory<byte> send, Memory<byte> own, int root)
    {
        int rank = context.Rank;
        Tree tree = context.BinomialTree(root);
        var subtree = new BinomialSubtree(blocks, root, rank);
        if (tree.Children(rank).Length == 0 && rank != root)
        {
            await context.ReceiveAsync(tree.Parent(rank), 0, own).ConfigureAwait(false);
            return;
        }

        // Rank 0's blocks are in its relative order already: it sends straight from its send buffer.
        bool direct = rank == root && root == 0;
        using ScratchBuffer scratch = direct ? default : context.RentScratch(subtree.Bytes);
        ReadOnlyMemory<byte> scattered = direct ? send : scratch.Memory;
        if (rank == root)
        {
            if (!direct)
            {
                RotatedBlocks.FromRankOrder(blocks, root, send.Span, scratch.Span);
            }
        }
        else
        {
            await context.ReceiveAsync(tree.Parent(rank), 0, scratch.Memory).ConfigureAwait(false);
        }

        for (int i = 0; i < tree.Children(rank).Length; i++)
        {
            int child = tree.Children(rank)[i];
            await context.SendAsync(child, 0, scattered[subtree.Of(child)]).ConfigureAwait(false);
        }

        RotatedBlocks.CopyUnlessSame(scattered.Span[..own.Length], own.Span);
    }
}
