using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Topology;

namespace Collectives.Algorithms;

/// <summary>
/// Binomial-tree gather (MPICH's gather_intra_binomial) on the tree of the binomial broadcast and
/// reduce: every rank receives its children's subtrees into a buffer that starts with its own
/// block, then sends its whole subtree to its parent in one message. The root gathers in place
/// order relative to itself (<see cref="BinomialSubtree"/>) and rotates the result into rank order.
/// <para>
/// Cost: ceil(log2 p) alpha + (p-1) n beta at the root, but inner ranks forward what they
/// gathered (about log2(p)/2 n p beta in all): best for small blocks.
/// </para>
/// <para>
/// The root only receives and the leaves only send, so it does not verify the call itself.
/// </para>
/// </summary>
internal static class BinomialTreeGather
{
    /// <summary>Gathers <paramref name="own"/> of every rank into the root's <paramref name="receive"/> (laid out as <paramref name="blocks"/> says; ignored elsewhere).</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, BlockLayout blocks, ReadOnlyMemory<byte> own, Memory<byte> receive, int root)
    {
        int rank = context.Rank;
        Tree tree = context.BinomialTree(root);
        var subtree = new BinomialSubtree(blocks, root, rank);
        ReadOnlySpan<int> children = tree.Children(rank);
        if (children.Length == 0 && rank != root)
        {
            await context.SendAsync(tree.Parent(rank), 0, own).ConfigureAwait(false);
            return;
        }

        // The root of rank 0's tree gathers in rank order already: straight into the receive buffer.
        bool direct = rank == root && root == 0;
        using ScratchBuffer scratch = direct ? default : context.RentScratch(subtree.Bytes);
        Memory<byte> gathered = direct ? receive : scratch.Memory;
        RotatedBlocks.CopyUnlessSame(own.Span, gathered.Span[..own.Length]);
        for (int i = 0; i < tree.Children(rank).Length; i++)
        {
            int child = tree.Children(rank)[i];
            await context.ReceiveAsync(child, 0, gathered[subtree.Of(child)]).ConfigureAwait(false);
        }

        if (rank != root)
        {
            await context.SendAsync(tree.Parent(rank), 0, gathered).ConfigureAwait(false);
        }
        else if (!direct)
        {
            RotatedBlocks.ToRankOrder(blocks, root, gathered.Span, receive.Span);
        }
    }
}
