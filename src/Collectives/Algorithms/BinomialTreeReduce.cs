using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Topology;

namespace Collectives.Algorithms;

/// <summary>
/// Binomial-tree reduce, pipelined: for each segment a rank combines what its children send
/// (smallest subtree first, as those arrive first) into its own data and passes the partial result
/// to its parent. The root ends with the full reduction.
/// </summary>
internal static class BinomialTreeReduce
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, Memory<byte> buffer, int root)
    {
        Tree tree = context.BinomialTree(root);
        int parent = tree.Parent(context.Rank);
        int childCount = tree.Children(context.Rank).Length;
        int segments = context.SegmentCount(buffer.Length);
        using ScratchBuffer incoming = context.RentScratch(childCount == 0 ? 0 : Math.Min(buffer.Length, context.SegmentBytes));
        for (int segment = 0; segment < segments; segment++)
        {
            Range range = context.SegmentRange(buffer.Length, segment);
            Memory<byte> piece = buffer[range];
            for (int i = childCount - 1; i >= 0; i--)
            {
                Memory<byte> received = incoming.Memory[..piece.Length];
                await context.ReceiveSegmentAsync(tree.Children(context.Rank)[i], 0, segment, received).ConfigureAwait(false);
                context.Combine(received.Span, piece.Span);
            }

            if (parent >= 0)
            {
                await context.SendSegmentAsync(parent, 0, segment, piece).ConfigureAwait(false);
            }
        }
    }
}
