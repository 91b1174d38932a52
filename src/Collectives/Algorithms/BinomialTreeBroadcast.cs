using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Topology;

namespace Collectives.Algorithms;

/// <summary>
/// Binomial-tree broadcast, pipelined: the buffer travels in segments, and a rank forwards each
/// segment to its children (largest subtree first) as soon as it has it, so deep trees overlap.
/// ceil(log2 p) steps for one segment.
/// </summary>
internal static class BinomialTreeBroadcast
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, Memory<byte> buffer, int root)
    {
        Tree tree = context.BinomialTree(root);
        int parent = tree.Parent(context.Rank);
        int segments = context.SegmentCount(buffer.Length);
        for (int segment = 0; segment < segments; segment++)
        {
            Memory<byte> piece = buffer[context.SegmentRange(buffer.Length, segment)];
            if (parent >= 0)
            {
                await context.ReceiveSegmentAsync(parent, 0, segment, piece).ConfigureAwait(false);
            }

            for (int i = 0; i < tree.Children(context.Rank).Length; i++)
            {
                await context.SendSegmentAsync(tree.Children(context.Rank)[i], 0, segment, piece).ConfigureAwait(false);
            }
        }
    }
}
