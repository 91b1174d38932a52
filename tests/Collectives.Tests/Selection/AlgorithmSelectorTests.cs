using Collectives.Execution;
using Collectives.Selection;

using Collectives.Tests.Support;

namespace Collectives.Tests.Selection;

/// <summary>
/// Choosing an algorithm: the first matching rule wins, the user's overrides come before the
/// built-in table, and overrides come from <see cref="CommunicatorOptions.Algorithms"/>, else
/// from the <c>COLLECTIVES_ALGORITHMS</c> environment variable.
/// </summary>
public class AlgorithmSelectorTests
{
    private static readonly AlgorithmSelector Defaults = new([]);

    [Test]
    public void The_built_in_table_covers_every_collective_at_every_size_and_rank_count()
    {
        long[] sizes = [0, 1, 1023, 1024, 4096, 16 * 1024 - 1, 16 * 1024, 64 * 1024, 128 * 1024, 1 << 20, 1L << 30, long.MaxValue - 1];
        int[] rankCounts = [1, 2, 3, 4, 5, 7, 8, 9, 16, 64, 1000, int.MaxValue];
        var uncovered = new List<string>();
        foreach (CollectiveKind kind in Enum.GetValues<CollectiveKind>().Except([CollectiveKind.Send, CollectiveKind.Receive]))
        {
            foreach (long bytes in sizes)
            {
                foreach (int ranks in rankCounts)
                {
                    try
                    {
                        byte algorithm = Defaults.SelectValue(kind, bytes, ranks);
                        if (!IsAlgorithmOf(kind, algorithm))
                        {
                            uncovered.Add($"{kind} of {bytes} bytes on {ranks} ranks chose {algorithm}");
                        }
                    }
                    catch (InvalidOperationException exception)
                    {
                        uncovered.Add(exception.Message);
                    }
                }
            }
        }

        Assert.That(uncovered, Is.Empty);
    }

    [TestCase(1023, (byte)AllreduceAlgorithm.Rabenseifner)]
    [TestCase(1024, (byte)AllreduceAlgorithm.Ring)]
    [TestCase(2047, (byte)AllreduceAlgorithm.Ring)]
    [TestCase(2048, (byte)AllreduceAlgorithm.Rabenseifner)]
    public void A_size_range_includes_its_start_and_excludes_its_end(long bytes, byte expected)
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("allreduce:1k-2k:ring;allreduce:*:rabenseifner", "test"));

        Assert.That(selector.SelectValue(CollectiveKind.Allreduce, bytes, 4), Is.EqualTo(expected));
    }

    [TestCase(2, (byte)BroadcastAlgorithm.BinomialTree)]
    [TestCase(3, (byte)BroadcastAlgorithm.ScatterAllgather)]
    [TestCase(5, (byte)BroadcastAlgorithm.ScatterAllgather)]
    [TestCase(6, (byte)BroadcastAlgorithm.BinomialTree)]
    public void A_rank_range_includes_both_ends(int ranks, byte expected)
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("broadcast:*:p=3-5:scatter_allgather;broadcast:*:binomial", "test"));

        Assert.That(selector.SelectValue(CollectiveKind.Broadcast, 100, ranks), Is.EqualTo(expected));
    }

    [Test]
    public void A_rule_for_another_collective_does_not_match()
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("reduce:*:rabenseifner;allreduce:*:ring", "test"));

        Assert.That(selector.SelectValue(CollectiveKind.Allreduce, 100, 4), Is.EqualTo((byte)AllreduceAlgorithm.Ring));
    }

    [Test]
    public void The_first_matching_rule_wins()
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("allreduce:0-1k:ring;allreduce:*:rabenseifner", "test"));

        Assert.That((selector.SelectValue(CollectiveKind.Allreduce, 512, 4), selector.SelectValue(CollectiveKind.Allreduce, 2048, 4)),
            Is.EqualTo(((byte)AllreduceAlgorithm.Ring, (byte)AllreduceAlgorithm.Rabenseifner)));
    }

    [TestCase(8L)]
    [TestCase(1L << 20)]
    [TestCase(16L << 20)]
    public void With_two_ranks_the_built_in_table_reduces_with_the_binomial_tree_at_every_size(long bytes)
        => Assert.That(Defaults.SelectValue(CollectiveKind.Reduce, bytes, 2), Is.EqualTo((byte)ReduceAlgorithm.BinomialTree));

    [TestCase(64L * 1024, 4, ReduceAlgorithm.Rabenseifner)]
    [TestCase((1L << 20) - 4, 4, ReduceAlgorithm.Rabenseifner)]
    [TestCase(1L << 20, 4, ReduceAlgorithm.BinomialTree)]
    [TestCase(16L << 20, 4, ReduceAlgorithm.BinomialTree)]
    [TestCase(16L << 20, 3, ReduceAlgorithm.Rabenseifner)]
    [TestCase(16L << 20, 8, ReduceAlgorithm.Rabenseifner)]
    public void With_four_ranks_the_built_in_table_reduces_by_the_binomial_tree_from_one_mebibyte(long bytes, int ranks, ReduceAlgorithm expected)
        => Assert.That((ReduceAlgorithm)Defaults.SelectValue(CollectiveKind.Reduce, bytes, ranks), Is.EqualTo(expected));

    [TestCase(8L, 4, AllgatherAlgorithm.RecursiveDoubling)]
    [TestCase(8L, 6, AllgatherAlgorithm.RecursiveDoubling)]
    [TestCase(32L * 1024 - 1, 8, AllgatherAlgorithm.RecursiveDoubling)]
    [TestCase(32L * 1024, 8, AllgatherAlgorithm.Ring)]
    [TestCase(16L << 20, 2, AllgatherAlgorithm.Ring)]
    public void The_built_in_table_gathers_small_blocks_by_recursive_doubling_and_large_ones_round_a_ring(long blockBytes, int ranks, AllgatherAlgorithm expected)
        => Assert.That((AllgatherAlgorithm)Defaults.SelectValue(CollectiveKind.Allgather, blockBytes, ranks), Is.EqualTo(expected));

    [TestCase(8L, 4, GatherAlgorithm.BinomialTree)]
    [TestCase(32L * 1024 - 1, 13, GatherAlgorithm.BinomialTree)]
    [TestCase(32L * 1024, 8, GatherAlgorithm.Linear)]
    [TestCase(16L << 20, 2, GatherAlgorithm.Linear)]
    public void The_built_in_table_gathers_small_blocks_up_a_binomial_tree_and_large_ones_straight_to_the_root(long blockBytes, int ranks, GatherAlgorithm expected)
        => Assert.That((GatherAlgorithm)Defaults.SelectValue(CollectiveKind.Gather, blockBytes, ranks), Is.EqualTo(expected));

    [TestCase(8L, 4, ScatterAlgorithm.BinomialTree)]
    [TestCase(32L * 1024 - 1, 13, ScatterAlgorithm.BinomialTree)]
    [TestCase(32L * 1024, 8, ScatterAlgorithm.Linear)]
    [TestCase(16L << 20, 2, ScatterAlgorithm.Linear)]
    public void The_built_in_table_scatters_small_blocks_down_a_binomial_tree_and_large_ones_straight_from_the_root(long blockBytes, int ranks, ScatterAlgorithm expected)
        => Assert.That((ScatterAlgorithm)Defaults.SelectValue(CollectiveKind.Scatter, blockBytes, ranks), Is.EqualTo(expected));

    [TestCase(8L, 8, AlltoallAlgorithm.Bruck)]
    [TestCase((16L * 1024) - 1, 3, AlltoallAlgorithm.Bruck)]
    [TestCase(16L * 1024, 8, AlltoallAlgorithm.Pairwise)]
    [TestCase(int.MaxValue, 4, AlltoallAlgorithm.Pairwise)]
    public void The_built_in_table_exchanges_small_blocks_by_Bruck_and_large_ones_pairwise(long blockBytes, int ranks, AlltoallAlgorithm expected)
        => Assert.That((AlltoallAlgorithm)Defaults.SelectValue(CollectiveKind.Alltoall, blockBytes, ranks), Is.EqualTo(expected));

    [Test]
    public void An_allgather_override_names_its_algorithms_as_the_catalog_does()
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("allgather:0-1k:bruck;allgather:*:p=3-inf:ring", "test"));

        Assert.That(
            (selector.SelectValue(CollectiveKind.Allgather, 512, 4), selector.SelectValue(CollectiveKind.Allgather, 4096, 4), selector.SelectValue(CollectiveKind.Allgather, 4096, 2)),
            Is.EqualTo(((byte)AllgatherAlgorithm.Bruck, (byte)AllgatherAlgorithm.Ring, (byte)AllgatherAlgorithm.RecursiveDoubling)));
    }

    [TestCase(8L, 4, ReduceScatterAlgorithm.RecursiveHalving)]
    [TestCase(8L, 7, ReduceScatterAlgorithm.RecursiveHalving)]
    [TestCase(32L * 1024 - 1, 8, ReduceScatterAlgorithm.RecursiveHalving)]
    [TestCase(32L * 1024, 8, ReduceScatterAlgorithm.Ring)]
    [TestCase(16L << 20, 2, ReduceScatterAlgorithm.Ring)]
    public void The_built_in_table_reduce_scatters_small_blocks_by_recursive_halving_and_large_ones_round_a_ring(long blockBytes, int ranks, ReduceScatterAlgorithm expected)
        => Assert.That((ReduceScatterAlgorithm)Defaults.SelectValue(CollectiveKind.ReduceScatter, blockBytes, ranks), Is.EqualTo(expected));

    [Test]
    public void A_reduce_scatter_override_names_its_algorithms_as_the_catalog_does()
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("reduce_scatter:0-1k:ring;reduce_scatter:*:p=3-inf:recursive_halving", "test"));

        Assert.That(
            (selector.SelectValue(CollectiveKind.ReduceScatter, 512, 4), selector.SelectValue(CollectiveKind.ReduceScatter, 1 << 20, 4), selector.SelectValue(CollectiveKind.ReduceScatter, 1 << 20, 2)),
            Is.EqualTo(((byte)ReduceScatterAlgorithm.Ring, (byte)ReduceScatterAlgorithm.RecursiveHalving, (byte)ReduceScatterAlgorithm.Ring)));
    }

    [Test]
    public void An_override_beats_the_built_in_table_where_it_matches()
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("allreduce:0-1k:ring", "test"));

        Assert.That(selector.SelectValue(CollectiveKind.Allreduce, 512, 4), Is.EqualTo((byte)AllreduceAlgorithm.Ring));
    }

    [Test]
    public void Where_no_override_matches_the_built_in_table_decides()
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("allreduce:0-1k:ring;broadcast:*:p=100-inf:scatter_allgather", "test"));

        Assert.That((selector.SelectValue(CollectiveKind.Allreduce, 2048, 4), selector.SelectValue(CollectiveKind.Broadcast, 16, 4)),
            Is.EqualTo(((byte)AllreduceAlgorithm.RecursiveDoubling, (byte)BroadcastAlgorithm.BinomialTree)));
    }

    [Test]
    public void The_Algorithms_option_is_the_overrides()
    {
        ResolvedOptions resolved = ResolvedOptions.Resolve(new CommunicatorOptions { Algorithms = "allreduce:*:ring" }, NoEnvironment);

        Assert.That(resolved.Selector.SelectValue(CollectiveKind.Allreduce, 100, 4), Is.EqualTo((byte)AllreduceAlgorithm.Ring));
    }

    [Test]
    public void Without_the_option_the_environment_variable_is_the_overrides()
    {
        ResolvedOptions resolved = ResolvedOptions.Resolve(new CommunicatorOptions(), Environment(CommunicatorOptions.AlgorithmsVariable, "allreduce:*:ring"));

        Assert.That(resolved.Selector.SelectValue(CollectiveKind.Allreduce, 100, 4), Is.EqualTo((byte)AllreduceAlgorithm.Ring));
    }

    [Test]
    public void The_option_wins_over_the_environment_variable()
    {
        ResolvedOptions resolved = ResolvedOptions.Resolve(
            new CommunicatorOptions { Algorithms = "allreduce:*:rabenseifner" }, Environment(CommunicatorOptions.AlgorithmsVariable, "allreduce:*:ring"));

        Assert.That(resolved.Selector.SelectValue(CollectiveKind.Allreduce, 100, 4), Is.EqualTo((byte)AllreduceAlgorithm.Rabenseifner));
    }

    [Test]
    public void A_malformed_Algorithms_option_fails_creating_the_communicators_with_FormatException_naming_the_option()
    {
        Assert.That(() => Communicator.CreateLocal(2, new CommunicatorOptions { Algorithms = "allreduce:*:nonsense" }),
            Throws.TypeOf<FormatException>().With.Message.Contains("CommunicatorOptions.Algorithms").And.Message.Contains("allreduce:*:nonsense"));
    }

    [Test]
    public void A_malformed_environment_variable_is_a_FormatException_naming_the_variable()
    {
        Assert.That(() => ResolvedOptions.Resolve(new CommunicatorOptions(), Environment(CommunicatorOptions.AlgorithmsVariable, "allreduce:*:nonsense")),
            Throws.TypeOf<FormatException>().With.Message.Contains(CommunicatorOptions.AlgorithmsVariable));
    }

    private static string? NoEnvironment(string name) => null;

    private static bool IsAlgorithmOf(CollectiveKind kind, byte algorithm) => algorithm != 0 && kind switch
    {
        CollectiveKind.Allreduce => Enum.IsDefined((AllreduceAlgorithm)algorithm),
        CollectiveKind.Reduce => Enum.IsDefined((ReduceAlgorithm)algorithm),
        CollectiveKind.Broadcast => Enum.IsDefined((BroadcastAlgorithm)algorithm),
        CollectiveKind.Barrier => Enum.IsDefined((BarrierAlgorithm)algorithm),
        CollectiveKind.Allgather => Enum.IsDefined((AllgatherAlgorithm)algorithm),
        CollectiveKind.ReduceScatter => Enum.IsDefined((ReduceScatterAlgorithm)algorithm),
        CollectiveKind.Gather => Enum.IsDefined((GatherAlgorithm)algorithm),
        CollectiveKind.Scatter => Enum.IsDefined((ScatterAlgorithm)algorithm),
        CollectiveKind.Alltoall => Enum.IsDefined((AlltoallAlgorithm)algorithm),
        _ => false,
    };

    private static Func<string, string?> Environment(string variable, string value) => name => name == variable ? value : null;
}
