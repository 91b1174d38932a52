using Collectives.Offload.Building;
using Collectives.Offload.Tests.Support;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Nic;

/// <summary>Whole calls on one simulated NIC per rank, against the software's tree reduction with the same tree.</summary>
public sealed class NicTreeTests
{
    private static readonly int[] Sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 17];

    [TestCaseSource(typeof(AluCases), nameof(AluCases.Cases))]
    public void Allreduce_gives_every_rank_the_software_tree_bits(ReduceOp op, ElementType element, bool withIndex)
    {
        var type = new DataType(element, withIndex);
        int perDescriptor = 48 / type.PrimitiveSize;
        foreach (int size in Sizes)
        {
            var builder = new DescriptorBuilder(size, TreeShape.Binomial);
            foreach (int count in new[] { 1, perDescriptor, perDescriptor + 1 })
            {
                byte[][] inputs = Inputs.For(type, op, count, size, seed: (size * 100) + count);
                var request = new OffloadRequest(CollectiveKind.Allreduce, op, type, count, -1, 1);
                byte[] expected = TreeFold.Reduce(builder.TreeFor(0), op, type, inputs);

                NetworkOutcome outcome = NicNetwork.Run(builder, request, inputs, seed: size + count);

                for (int rank = 0; rank < size; rank++)
                {
                    Assert.That(outcome.Results[rank], Is.EqualTo(expected), $"{size} ranks, {count} elements, rank {rank}");
                }
            }
        }
    }

    [Test]
    public void Kary_trees_of_every_fan_in_give_the_tree_bits_for_long_chains([Range(2, 8)] int fanIn)
    {
        var type = new DataType(ElementType.Float32, false);
        foreach (int size in new[] { 2, 9, 17, 40 })
        {
            var builder = new DescriptorBuilder(size, TreeShape.KAry(fanIn));
            byte[][] inputs = Inputs.For(type, ReduceOp.Sum, 1024, size, seed: fanIn);
            var request = new OffloadRequest(CollectiveKind.Allreduce, ReduceOp.Sum, type, 1024, -1, 3);
            byte[] expected = TreeFold.Reduce(builder.TreeFor(0), ReduceOp.Sum, type, inputs);

            NetworkOutcome outcome = NicNetwork.Run(builder, request, inputs, seed: size, depth: fanIn);

            Assert.That(outcome.Results, Has.All.EqualTo(expected), $"{size} ranks");
            Assert.That(outcome.MaxQueued, Is.LessThanOrEqualTo(fanIn));
        }
    }

    [Test]
    public void Reduce_leaves_the_tree_bits_at_every_root_only()
    {
        var type = new DataType(ElementType.Float64, false);
        const int size = 7;
        var builder = new DescriptorBuilder(size, TreeShape.KAry(3));
        byte[][] inputs = Inputs.For(type, ReduceOp.Sum, 10, size, seed: 5);
        for (int root = 0; root < size; root++)
        {
            var request = new OffloadRequest(CollectiveKind.Reduce, ReduceOp.Sum, type, 10, root, 1);

            NetworkOutcome outcome = NicNetwork.Run(builder, request, inputs, seed: root);

            Assert.That(outcome.Results[root], Is.EqualTo(TreeFold.Reduce(builder.TreeFor(root), ReduceOp.Sum, type, inputs)), $"root {root}");
            Assert.That(outcome.Results.Where((_, rank) => rank != root), Has.All.EqualTo(new byte[80]), "non-roots get no completion");
        }
    }

    [Test]
    public void Broadcast_gives_every_rank_the_roots_bytes_from_every_root()
    {
        var type = new DataType(ElementType.Int64, false);
        const int size = 9;
        var builder = new DescriptorBuilder(size, TreeShape.Binomial);
        byte[][] inputs = Inputs.For(type, ReduceOp.Sum, 25, size, seed: 8);
        for (int root = 0; root < size; root++)
        {
            var request = new OffloadRequest(CollectiveKind.Broadcast, 0, type, 25, root, 1);

            NetworkOutcome outcome = NicNetwork.Run(builder, request, inputs, seed: root);

            Assert.That(outcome.Results, Has.All.EqualTo(inputs[root]), $"root {root}");
        }
    }

    [Test]
    public void Barrier_completes_on_every_rank([Values(1, 2, 5, 17)] int size)
    {
        var builder = new DescriptorBuilder(size, TreeShape.Binomial);
        var request = new OffloadRequest(CollectiveKind.Barrier, 0, null, 0, -1, 1);

        NetworkOutcome outcome = NicNetwork.Run(builder, request, [.. Enumerable.Repeat(Array.Empty<byte>(), size)], seed: size);

        Assert.That(outcome.Results, Has.Length.EqualTo(size));
    }
}
