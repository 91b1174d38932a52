using Collectives.Offload.Building;
using Collectives.Offload.Descriptors;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Building;

public sealed class DescriptorBuilderTests
{
    private static readonly DataType Int32 = new(ElementType.Int32, false);

    private static IEnumerable<TreeShape> Shapes => [TreeShape.Binomial, .. Enumerable.Range(2, 7).Select(TreeShape.KAry)];

    [Test]
    public void Every_size_and_fan_in_gives_one_parent_per_node_and_thresholds_equal_to_child_counts()
    {
        foreach (TreeShape shape in Shapes)
        {
            for (int size = 1; size <= 300; size++)
            {
                int[] roots = size <= 9 ? [.. Enumerable.Range(0, size)] : [0, size - 1];
                foreach (int root in roots)
                {
                    string failure = CheckReduceTree(new DescriptorBuilder(size, shape), root);
                    Assert.That(failure, Is.Empty, $"{shape}, {size} ranks, root {root}");
                }
            }
        }
    }

    [Test]
    public void Descriptors_are_addressed_by_node_through_the_rank_to_node_map()
    {
        int[] nodes = [40, 7, 13, 2, 99];
        var builder = new DescriptorBuilder(5, TreeShape.Binomial, nodes);
        var request = new OffloadRequest(CollectiveKind.Reduce, ReduceOp.Sum, Int32, 1, 0, 1);
        var list = new List<Descriptor>();

        builder.Build(4, request, 0, new byte[4], list);

        Assert.That(list.Single().Source, Is.EqualTo(99));
        Assert.That(list.Single().Destination, Is.EqualTo(nodes[builder.TreeFor(0).Parent(4)]));
    }

    [TestCase(52, 2)]
    [TestCase(56, 2)]
    [TestCase(4096, 86)]
    public void Payloads_over_48_bytes_become_chains_on_consecutive_ports(int bytes, int chunks)
    {
        var builder = new DescriptorBuilder(4, TreeShape.Binomial);
        var request = new OffloadRequest(CollectiveKind.Allreduce, ReduceOp.Sum, Int32, bytes / 4, -1, 1);
        var list = new List<Descriptor>();

        builder.Build(3, request, 100, new byte[bytes], list);

        Descriptor[] reduces = [.. list.Where(d => d.Kind == DescriptorKind.Reduce)];
        Descriptor[] puts = [.. list.Where(d => d.Kind == DescriptorKind.Put)];
        Assert.Multiple(() =>
        {
            Assert.That(reduces.Select(d => (int)d.Cp), Is.EqualTo(Enumerable.Range(100, chunks)));
            Assert.That(reduces.Sum(d => d.DataLength), Is.EqualTo(bytes));
            Assert.That(reduces, Has.All.Matches<Descriptor>(d => d.DataLength <= Descriptor.MaxDataBytes));
            Assert.That(puts.Select(d => d.CompletionSlot), Is.EqualTo(Enumerable.Range(0, chunks).Select(c => (uint)(c * 12))));
            Assert.That(list, Has.All.Matches<Descriptor>(d => d.Validate() == DescriptorFault.None));
        });
    }

    [Test]
    public void Allreduce_hangs_a_broadcast_per_child_and_a_put_on_the_result_threshold()
    {
        var builder = new DescriptorBuilder(8, TreeShape.Binomial);
        var request = new OffloadRequest(CollectiveKind.Allreduce, ReduceOp.Max, Int32, 3, -1, 1);
        for (int rank = 0; rank < 8; rank++)
        {
            var list = new List<Descriptor>();
            builder.Build(rank, request, 0, new byte[12], list);
            int children = builder.TreeFor(0).Children(rank).Length;

            Assert.That(list.Where(d => d.Kind == DescriptorKind.Broadcast).Select(d => d.Destination),
                Is.EqualTo(builder.TreeFor(0).Children(rank).ToArray()), $"rank {rank}");
            Assert.That(list.Where(d => d.Kind != DescriptorKind.Reduce), Has.All.Matches<Descriptor>(d => d.CpCnt == children + 1), $"rank {rank}");
            Assert.That(list.Count(d => d.Kind == DescriptorKind.Put), Is.EqualTo(1), $"rank {rank}");
        }
    }

    [Test]
    public void Operations_the_alu_lacks_are_refused()
    {
        var builder = new DescriptorBuilder(2, TreeShape.Binomial);
        var request = new OffloadRequest(CollectiveKind.Allreduce, ReduceOp.Prod, Int32, 1, -1, 1);

        Assert.Throws<NotSupportedException>(() => builder.Build(0, request, 0, new byte[4], []));
    }

    /// <summary>Checks a Reduce's reduce descriptors over every rank; returns what is wrong, or empty.</summary>
    private static string CheckReduceTree(DescriptorBuilder builder, int root)
    {
        int size = builder.Size;
        var request = new OffloadRequest(CollectiveKind.Reduce, ReduceOp.Sum, Int32, 1, root, 1);
        var reduces = new Descriptor[size];
        var list = new List<Descriptor>();
        for (int rank = 0; rank < size; rank++)
        {
            list.Clear();
            builder.Build(rank, request, 0, new byte[4], list);
            Descriptor[] own = [.. list.Where(d => d.Kind == DescriptorKind.Reduce)];
            if (own.Length != 1)
            {
                return $"rank {rank} has {own.Length} reduce descriptors";
            }

            reduces[rank] = own[0];
        }

        var children = new List<int>[size];
        for (int rank = 0; rank < size; rank++)
        {
            children[rank] = [];
        }

        for (int rank = 0; rank < size; rank++)
        {
            if (rank != root)
            {
                if (reduces[rank].Destination == rank)
                {
                    return $"non-root {rank} sends to itself";
                }

                children[reduces[rank].Destination].Add(rank);
            }
            else if (reduces[rank].Destination != rank || reduces[rank].Branch != 1)
            {
                return "the root's reduce descriptor must go to itself with branch 1";
            }
        }

        for (int rank = 0; rank < size; rank++)
        {
            if (reduces[rank].CpCnt != children[rank].Count)
            {
                return $"rank {rank} waits for {reduces[rank].CpCnt} packets but has {children[rank].Count} children";
            }

            int[] slots = [.. children[rank].Select(child => (int)reduces[child].Slot).Order()];
            if (!slots.SequenceEqual(Enumerable.Range(0, children[rank].Count)) || children[rank].Any(child => reduces[child].Branch != children[rank].Count))
            {
                return $"the children of rank {rank} do not name slots 0..{children[rank].Count - 1} and branch {children[rank].Count}";
            }

            int node = rank;
            for (int hops = 0; node != root; hops++)
            {
                if (hops > size)
                {
                    return $"rank {rank}'s packets never reach the root";
                }

                node = reduces[node].Destination;
            }
        }

        return string.Empty;
    }
}
