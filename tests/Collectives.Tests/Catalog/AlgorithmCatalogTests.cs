using Collectives.Catalog;
using Collectives.Selection;

namespace Collectives.Tests.Catalog;

/// <summary>
/// The catalog is the one list of algorithms: every per-call enum value is a row and every row an
/// enum value, names are unique per collective, and every name reads back through the selection syntax.
/// </summary>
public class AlgorithmCatalogTests
{
    public static IEnumerable<TestCaseData> EnumValues()
    {
        foreach ((CollectiveKind kind, Type enumType) in new[]
        {
            (CollectiveKind.Allreduce, typeof(AllreduceAlgorithm)),
            (CollectiveKind.Reduce, typeof(ReduceAlgorithm)),
            (CollectiveKind.Broadcast, typeof(BroadcastAlgorithm)),
            (CollectiveKind.Barrier, typeof(BarrierAlgorithm)),
            (CollectiveKind.Allgather, typeof(AllgatherAlgorithm)),
            (CollectiveKind.ReduceScatter, typeof(ReduceScatterAlgorithm)),
            (CollectiveKind.Gather, typeof(GatherAlgorithm)),
            (CollectiveKind.Scatter, typeof(ScatterAlgorithm)),
            (CollectiveKind.Alltoall, typeof(AlltoallAlgorithm)),
        })
        {
            byte[] values = [.. Enum.GetValues(enumType).Cast<object>().Select(Convert.ToByte).Where(value => value != 0)];
            yield return new TestCaseData(kind, values).SetArgDisplayNames(enumType.Name);
        }
    }

    [TestCaseSource(nameof(EnumValues))]
    public void Every_algorithm_enum_value_but_Auto_is_exactly_one_row_of_its_collective(CollectiveKind kind, byte[] enumValues)
    {
        Assert.That(AlgorithmCatalog.Of(kind).Select(row => row.Value), Is.EquivalentTo(enumValues));
    }

    [Test]
    public void The_algorithm_enum_values_callers_compile_in_do_not_change()
    {
        Assert.That(
            new[] { (int)AllreduceAlgorithm.RecursiveDoubling, (int)AllreduceAlgorithm.Rabenseifner, (int)AllreduceAlgorithm.Ring, (int)AllreduceAlgorithm.SharedMemoryFlat, (int)AllreduceAlgorithm.SharedMemoryReduceScatter, (int)AllreduceAlgorithm.Offload },
            Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(
            new[] { (int)ReduceAlgorithm.BinomialTree, (int)ReduceAlgorithm.Rabenseifner, (int)ReduceAlgorithm.SharedMemoryFlat, (int)ReduceAlgorithm.SharedMemoryReduceScatter, (int)ReduceAlgorithm.Offload },
            Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
        Assert.That(
            new[] { (int)BroadcastAlgorithm.BinomialTree, (int)BroadcastAlgorithm.ScatterAllgather, (int)BroadcastAlgorithm.SharedMemory, (int)BroadcastAlgorithm.Offload },
            Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(new[] { (int)BarrierAlgorithm.Dissemination, (int)BarrierAlgorithm.SharedMemory, (int)BarrierAlgorithm.Offload }, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(
            new[] { (int)AllgatherAlgorithm.Ring, (int)AllgatherAlgorithm.RecursiveDoubling, (int)AllgatherAlgorithm.Bruck, (int)AllgatherAlgorithm.SharedMemory },
            Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(
            new[] { (int)ReduceScatterAlgorithm.Ring, (int)ReduceScatterAlgorithm.RecursiveHalving, (int)ReduceScatterAlgorithm.SharedMemory },
            Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(new[] { (int)GatherAlgorithm.BinomialTree, (int)GatherAlgorithm.Linear, (int)GatherAlgorithm.SharedMemory }, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(new[] { (int)ScatterAlgorithm.BinomialTree, (int)ScatterAlgorithm.Linear, (int)ScatterAlgorithm.SharedMemory }, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(new[] { (int)AlltoallAlgorithm.Pairwise, (int)AlltoallAlgorithm.Bruck, (int)AlltoallAlgorithm.SharedMemory, (int)AlltoallAlgorithm.NodeLeaders, (int)AlltoallAlgorithm.NodeSlices, (int)AlltoallAlgorithm.Scattered }, Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(new[] { (int)AllreduceAlgorithm.Auto, (int)ReduceAlgorithm.Auto, (int)BroadcastAlgorithm.Auto, (int)BarrierAlgorithm.Auto, (int)AllgatherAlgorithm.Auto, (int)ReduceScatterAlgorithm.Auto, (int)GatherAlgorithm.Auto, (int)ScatterAlgorithm.Auto, (int)AlltoallAlgorithm.Auto }, Has.All.Zero);
    }

    [Test]
    public void Every_row_belongs_to_a_named_collective()
    {
        Assert.That(AlgorithmCatalog.All.Select(row => row.Collective).Distinct(), Is.EquivalentTo(AlgorithmCatalog.Collectives.Select(collective => collective.Kind)));
    }

    [TestCase(CollectiveKind.Allreduce)]
    [TestCase(CollectiveKind.Reduce)]
    [TestCase(CollectiveKind.Broadcast)]
    [TestCase(CollectiveKind.Barrier)]
    [TestCase(CollectiveKind.Allgather)]
    [TestCase(CollectiveKind.ReduceScatter)]
    [TestCase(CollectiveKind.Gather)]
    [TestCase(CollectiveKind.Scatter)]
    [TestCase(CollectiveKind.Alltoall)]
    public void Names_are_unique_lowercase_and_free_of_selection_syntax_within_a_collective(CollectiveKind kind)
    {
        string[] names = [.. AlgorithmCatalog.Of(kind).Select(row => row.Name)];

        Assert.That(names, Is.Unique);
        Assert.That(names, Has.All.Matches<string>(name => name?.Length > 0 && name.All(c => char.IsAsciiLetterLower(c) || c == '_')));
    }

    [Test]
    public void Every_row_name_parses_back_to_its_row_in_a_selection_string()
    {
        foreach (CollectiveAlgorithm row in AlgorithmCatalog.All)
        {
            string entry = $"{AlgorithmCatalog.NameOf(row.Collective)}:*:{row.Name}";

            Assert.That(SelectionTable.Parse(entry, "test").Single().Algorithm, Is.SameAs(row), entry);
        }
    }

    [Test]
    public void Each_collective_the_NIC_design_covers_has_exactly_one_offload_row_called_offload_or_nic()
    {
        foreach ((CollectiveKind kind, string name) in AlgorithmCatalog.Collectives.Where(collective => collective.Kind is not (CollectiveKind.Allgather or CollectiveKind.ReduceScatter or CollectiveKind.Gather or CollectiveKind.Scatter or CollectiveKind.Alltoall)))
        {
            CollectiveAlgorithm offload = AlgorithmCatalog.Of(kind).Single(row => row.Model == ExecutionModel.Offload);

            Assert.That((AlgorithmCatalog.Find(kind, "offload"), AlgorithmCatalog.Find(kind, "NIC")), Is.EqualTo((offload, offload)), name);
        }
    }

    [TestCase(CollectiveKind.Allgather)]
    [TestCase(CollectiveKind.Gather)]
    [TestCase(CollectiveKind.Scatter)]
    [TestCase(CollectiveKind.Alltoall)]
    public void A_collective_that_only_moves_blocks_has_no_offload_row_since_the_NIC_only_reduces_and_broadcasts(CollectiveKind kind)
    {
        Assert.That(AlgorithmCatalog.Of(kind).Select(row => row.Model), Has.None.EqualTo(ExecutionModel.Offload));
    }

    [Test]
    public void ReduceScatter_has_no_offload_row_since_the_NIC_reduces_whole_vectors_only()
    {
        Assert.That(AlgorithmCatalog.Of(CollectiveKind.ReduceScatter).Select(row => row.Model), Has.None.EqualTo(ExecutionModel.Offload));
    }

    [Test]
    public void An_unknown_algorithm_name_is_a_FormatException_listing_the_collectives_algorithms_from_the_catalog()
    {
        string known = string.Join(", ", AlgorithmCatalog.Of(CollectiveKind.Reduce).Select(row => row.Name));

        Assert.That(() => SelectionTable.Parse("reduce:*:ring", "test"), Throws.TypeOf<FormatException>().With.Message.Contains($"(known: {known})"));
    }

    [Test]
    public void An_allgather_signature_names_the_block_count_per_rank_and_its_algorithm()
    {
        var signature = new CollectiveSignature(3, CollectiveKind.Allgather, 0, global::Collectives.Reduction.DataType.Of<int>()!.Value.Code, 16, -1, (byte)AllgatherAlgorithm.Bruck);

        Assert.That(signature.ToString(), Is.EqualTo("#3 Allgather(16 x Int32 per rank) [bruck]"));
    }

    [Test]
    public void An_allgatherv_signature_names_the_total_count_and_the_digest_of_the_counts()
    {
        var signature = new CollectiveSignature(3, CollectiveKind.Allgather, 0, global::Collectives.Reduction.DataType.Of<int>()!.Value.Code, 16, 0x1234abcd, (byte)AllgatherAlgorithm.Ring);

        Assert.That(signature.ToString(), Is.EqualTo("#3 AllgatherV(16 x Int32 in all, counts 1234abcd) [ring]"));
    }

    [Test]
    public void A_reduce_scatter_signature_names_its_op_the_block_count_per_rank_and_its_algorithm()
    {
        var signature = new CollectiveSignature(4, CollectiveKind.ReduceScatter, ReduceOp.Max, global::Collectives.Reduction.DataType.Of<float>()!.Value.Code, 32, -1, (byte)ReduceScatterAlgorithm.RecursiveHalving);

        Assert.That(signature.ToString(), Is.EqualTo("#4 ReduceScatter(Max, 32 x Float32 per rank) [recursive_halving]"));
    }

    [Test]
    public void A_reduce_scatterv_signature_names_its_op_the_total_count_and_the_digest_of_the_counts()
    {
        var signature = new CollectiveSignature(4, CollectiveKind.ReduceScatter, ReduceOp.Sum, global::Collectives.Reduction.DataType.Of<int>()!.Value.Code, 40, 0x0badf00d, (byte)ReduceScatterAlgorithm.Ring);

        Assert.That(signature.ToString(), Is.EqualTo("#4 ReduceScatterV(Sum, 40 x Int32 in all, counts 0badf00d) [ring]"));
    }

    [Test]
    public void A_gather_signature_names_the_block_count_per_rank_the_root_and_its_algorithm()
    {
        var signature = new CollectiveSignature(3, CollectiveKind.Gather, 0, global::Collectives.Reduction.DataType.Of<int>()!.Value.Code, 16, 2, (byte)GatherAlgorithm.Linear);

        Assert.That(signature.ToString(), Is.EqualTo("#3 Gather(16 x Int32 per rank, root 2) [linear]"));
    }

    [Test]
    public void A_scatterv_signature_names_the_total_count_the_digest_of_the_counts_and_the_root()
    {
        var signature = new CollectiveSignature(3, CollectiveKind.Scatter, 0, global::Collectives.Reduction.DataType.Of<int>()!.Value.Code, (0x1234abcdL << 32) | 16, 1, (byte)ScatterAlgorithm.BinomialTree);

        Assert.That(signature.ToString(), Is.EqualTo("#3 ScatterV(16 x Int32 in all, counts 1234abcd, root 1) [binomial]"));
    }

    [Test]
    public void An_alltoallv_signature_says_its_counts_are_per_pair()
    {
        var signature = new CollectiveSignature(3, CollectiveKind.Alltoall, 0, global::Collectives.Reduction.DataType.Of<int>()!.Value.Code, 0, -2, (byte)AlltoallAlgorithm.Pairwise);

        Assert.That(signature.ToString(), Is.EqualTo("#3 AlltoallV(Int32, counts per pair) [pairwise]"));
    }

    [Test]
    public void A_call_signature_names_its_algorithm_as_the_catalog_does()
    {
        var signature = new CollectiveSignature(7, CollectiveKind.Allreduce, ReduceOp.Sum, 0, 16, -1, (byte)AllreduceAlgorithm.SharedMemoryReduceScatter);

        Assert.That(signature.ToString(), Does.EndWith("[shm_reduce_scatter]"));
    }
}
