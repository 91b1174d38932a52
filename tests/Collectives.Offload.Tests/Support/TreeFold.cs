using Collectives.Reduction;
using Collectives.Topology;

namespace Collectives.Offload.Tests.Support;

/// <summary>
/// The software's tree reduction, done sequentially: a node's own data first, then its children's
/// partial results from the last-listed child to the first (as BinomialTreeReduce combines), each
/// combined with the core library's kernel. The expected bits of a NIC that runs the same tree.
/// </summary>
internal static class TreeFold
{
    public static byte[] Reduce(Tree tree, ReduceOp op, DataType dataType, IReadOnlyList<byte[]> inputs)
    {
        ReductionKernel kernel = ReductionKernels.Get(op, dataType);
        byte[] result = Fold(tree, tree.Root, kernel, inputs);
        if (tree.Size == 1)
        {
            kernel.Normalize(result);
        }

        return result;
    }

    private static byte[] Fold(Tree tree, int node, ReductionKernel kernel, IReadOnlyList<byte[]> inputs)
    {
        byte[] accumulator = [.. inputs[node]];
        ReadOnlySpan<int> children = tree.Children(node);
        for (int i = children.Length - 1; i >= 0; i--)
        {
            kernel.Apply(accumulator, Fold(tree, children[i], kernel, inputs), accumulator);
        }

        return accumulator;
    }
}
