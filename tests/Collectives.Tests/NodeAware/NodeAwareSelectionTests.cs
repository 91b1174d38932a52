using Collectives.Selection;
using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// Where the ranks span hosts and some host runs several, the built-in table picks the node-aware
/// algorithms; rules can be keyed by host count (<c>hosts=</c>) and ranks on the most crowded host
/// (<c>ppn=</c>); a node-aware algorithm forced where it cannot run is refused with the reason.
/// </summary>
public class NodeAwareSelectionTests
{
    [TestCase(8, (byte)AllreduceAlgorithm.NodeLeaders)]
    [TestCase(64 * 1024 - 1, (byte)AllreduceAlgorithm.NodeLeaders)]
    [TestCase(64 * 1024, (byte)AllreduceAlgorithm.NodeSlices)]
    [TestCase(16 << 20, (byte)AllreduceAlgorithm.NodeSlices)]
    public void On_two_hosts_of_two_ranks_small_allreduces_go_through_host_leaders_and_large_ones_by_slices(long bytes, byte expected)
        => Assert.That(Select(CollectiveKind.Allreduce, bytes, [2, 2]), Is.EqualTo(expected));

    [Test]
    public void On_hosts_of_unequal_sizes_a_large_allreduce_goes_through_host_leaders()
        => Assert.That(Select(CollectiveKind.Allreduce, 16 << 20, [3, 1]), Is.EqualTo((byte)AllreduceAlgorithm.NodeLeaders));

    [TestCase(CollectiveKind.Reduce, (byte)ReduceAlgorithm.NodeLeaders)]
    [TestCase(CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.NodeLeaders)]
    [TestCase(CollectiveKind.Barrier, (byte)BarrierAlgorithm.NodeLeaders)]
    [TestCase(CollectiveKind.Allgather, (byte)AllgatherAlgorithm.NodeLeaders)]
    [TestCase(CollectiveKind.ReduceScatter, (byte)ReduceScatterAlgorithm.NodeLeaders)]
    [TestCase(CollectiveKind.Gather, (byte)GatherAlgorithm.NodeLeaders)]
    [TestCase(CollectiveKind.Scatter, (byte)ScatterAlgorithm.NodeLeaders)]
    public void Across_hosts_small_reduce_broadcast_barrier_allgather_reduce_scatter_gather_and_scatter_go_through_host_leaders(CollectiveKind kind, byte expected)
        => Assert.That(Select(kind, 1024, [1, 2, 3]), Is.EqualTo(expected));

    [Test]
    public void With_one_rank_per_host_the_flat_algorithms_run()
    {
        var flat = new AlgorithmSelector([]);

        Assert.That(Select(CollectiveKind.Allreduce, 1 << 20, [1, 1, 1]), Is.EqualTo(flat.SelectValue(CollectiveKind.Allreduce, 1 << 20, 3)));
    }

    [TestCase(64 * 1024 - 1, (byte)ReduceScatterAlgorithm.NodeLeaders)]
    [TestCase(64 * 1024, (byte)ReduceScatterAlgorithm.NodeSlices)]
    [TestCase(16 << 20, (byte)ReduceScatterAlgorithm.NodeSlices)]
    public void On_two_hosts_of_two_ranks_small_reduce_scatter_blocks_go_through_host_leaders_and_large_ones_by_slices(long bytes, byte expected)
        => Assert.That(Select(CollectiveKind.ReduceScatter, bytes, [2, 2]), Is.EqualTo(expected));

    [Test]
    public void Across_hosts_a_gather_of_large_blocks_goes_through_host_leaders_too()
        => Assert.That(Select(CollectiveKind.Gather, 1 << 20, [2, 2]), Is.EqualTo((byte)GatherAlgorithm.NodeLeaders));

    [TestCase(64 * 1024 - 1, (byte)ScatterAlgorithm.NodeLeaders)]
    [TestCase(64 * 1024, null)]
    [TestCase(1 << 20, null)]
    public void Across_hosts_a_scatter_of_small_blocks_goes_through_host_leaders_and_of_large_ones_runs_the_flat_table(long bytes, byte? expected)
        => Assert.That(Select(CollectiveKind.Scatter, bytes, [2, 2]), Is.EqualTo(expected ?? new AlgorithmSelector([]).SelectValue(CollectiveKind.Scatter, bytes, 4)));

    [Test]
    public void On_hosts_of_unequal_sizes_a_reduce_scatter_of_large_blocks_runs_the_flat_table()
        => Assert.That(Select(CollectiveKind.ReduceScatter, 1 << 20, [3, 1]), Is.EqualTo(new AlgorithmSelector([]).SelectValue(CollectiveKind.ReduceScatter, 1 << 20, 4)));

    [TestCase(8)]
    [TestCase(16 * 1024 - 1)]
    public void Across_hosts_an_alltoall_of_small_blocks_goes_through_host_leaders(long bytes)
        => Assert.That(Select(CollectiveKind.Alltoall, bytes, [1, 2, 3]), Is.EqualTo((byte)AlltoallAlgorithm.NodeLeaders));

    [TestCase(16 * 1024)]
    [TestCase(128 * 1024 - 1)]
    public void Across_hosts_of_equal_sizes_an_alltoall_of_medium_blocks_goes_by_places(long bytes)
        => Assert.That(Select(CollectiveKind.Alltoall, bytes, [2, 2]), Is.EqualTo((byte)AlltoallAlgorithm.NodeSlices));

    [Test]
    public void Across_hosts_of_unequal_sizes_an_alltoall_of_medium_blocks_runs_the_flat_table()
        => Assert.That(Select(CollectiveKind.Alltoall, 64 * 1024, [3, 1]), Is.EqualTo(new AlgorithmSelector([]).SelectValue(CollectiveKind.Alltoall, 64 * 1024, 4)));

    [Test]
    public void Across_hosts_an_alltoall_of_large_blocks_runs_the_flat_table()
        => Assert.That(Select(CollectiveKind.Alltoall, 128 * 1024, [2, 2]), Is.EqualTo(new AlgorithmSelector([]).SelectValue(CollectiveKind.Alltoall, 128 * 1024, 4)));

    [TestCase(2, (byte)AllreduceAlgorithm.Rabenseifner)]
    [TestCase(3, (byte)AllreduceAlgorithm.Ring)]
    public void A_hosts_range_keys_a_rule_by_the_number_of_hosts(int hosts, byte expected)
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("allreduce:*:hosts=3-inf:ring;allreduce:*:rabenseifner", "test"));

        Assert.That(selector.Select(CollectiveKind.Allreduce, 1024, hosts * 2, Availability([.. Enumerable.Repeat(2, hosts)])).Value, Is.EqualTo(expected));
    }

    [TestCase(new[] { 2, 2 }, (byte)AllreduceAlgorithm.Rabenseifner)]
    [TestCase(new[] { 4, 1 }, (byte)AllreduceAlgorithm.Ring)]
    public void A_ppn_range_keys_a_rule_by_the_ranks_on_the_most_crowded_host(int[] ranksPerHost, byte expected)
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("allreduce:*:p=2-inf:ppn=3-inf:ring;allreduce:*:rabenseifner", "test"));

        Assert.That(selector.Select(CollectiveKind.Allreduce, 1024, ranksPerHost.Sum(), Availability(ranksPerHost)).Value, Is.EqualTo(expected));
    }

    [Test]
    public void A_communicator_that_does_not_know_its_layout_counts_one_host_running_every_rank()
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("allreduce:*:hosts=1:ppn=4:ring;allreduce:*:rabenseifner", "test"));

        Assert.That(selector.SelectValue(CollectiveKind.Allreduce, 1024, 4), Is.EqualTo((byte)AllreduceAlgorithm.Ring));
    }

    [TestCase("allreduce:*:hosts=2:hosts=3:ring", "hosts= is given twice")]
    [TestCase("allreduce:*:nodes=2:ring", "expected a range such as p=2-8, hosts=2-inf or ppn=2-inf, not 'nodes=2'")]
    [TestCase("allreduce:*:ppn=4-2:ring", "range '4-2' ends before it starts")]
    public void A_malformed_host_qualifier_is_a_FormatException_saying_what_is_wrong(string entry, string problem)
        => Assert.That(() => SelectionTable.Parse(entry, "test"), Throws.TypeOf<FormatException>().With.Message.Contains(problem));

    [Test]
    public void Forcing_slices_on_hosts_of_unequal_sizes_is_refused_naming_the_layout()
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(
            HostedJob.Create([3, 1]), communicator => communicator.Allreduce(new float[8], ReduceOp.Sum, AllreduceAlgorithm.NodeSlices));

        Assert.That(failures, Has.All.TypeOf<NotSupportedException>()
            .With.Message.Contains("node_slices needs every host to run as many ranks").And.Message.Contains("2 hosts of 3, 1 ranks"));
    }

    [Test]
    public void Forcing_reduce_scatter_by_slices_on_hosts_of_unequal_sizes_is_refused_naming_the_layout()
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(
            HostedJob.Create([3, 1]), communicator => communicator.ReduceScatter(new float[8], new float[2], ReduceOp.Sum, ReduceScatterAlgorithm.NodeSlices));

        Assert.That(failures, Has.All.TypeOf<NotSupportedException>()
            .With.Message.Contains("node_slices needs every host to run as many ranks").And.Message.Contains("2 hosts of 3, 1 ranks"));
    }

    [Test]
    public void Forcing_the_host_leaders_alltoall_for_AlltoallV_is_refused_saying_it_needs_equal_blocks()
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(
            HostedJob.Create([2, 2]), communicator => communicator.AlltoallV<int>(new int[4], [1, 1, 1, 1], new int[4], [1, 1, 1, 1], AlltoallAlgorithm.NodeLeaders));

        Assert.That(failures, Has.All.TypeOf<NotSupportedException>().With.Message.Contains("'node_leaders' moves other ranks' blocks together and needs them all of one size"));
    }

    [Test]
    public void A_selection_rule_that_names_an_equal_blocks_alltoall_for_AlltoallV_is_refused_naming_it()
    {
        var options = new CommunicatorOptions { Algorithms = "alltoall:*:bruck" };

        Exception?[] failures = LocalJob.RunCollectingFailures(
            2, options, communicator => communicator.AlltoallV<int>(new int[2], [1, 1], new int[2], [1, 1]));

        Assert.That(failures, Has.All.TypeOf<NotSupportedException>().With.Message.Contains("'bruck' moves other ranks' blocks together").And.Message.Contains("selection rules"));
    }

    [Test]
    public void Forcing_node_aware_gather_with_one_rank_per_host_is_refused_naming_the_layout()
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(
            HostedJob.Create([1, 1, 1]), communicator => communicator.Gather(new int[4], communicator.Rank == 0 ? new int[12] : [], 0, GatherAlgorithm.NodeLeaders));

        Assert.That(failures, Has.All.TypeOf<NotSupportedException>()
            .With.Message.Contains("gather algorithm node_leaders organises its messages by host").And.Message.Contains("run 3 hosts of 1, 1, 1 ranks, one per host"));
    }

    [Test]
    public void Forcing_node_aware_scatter_with_one_rank_per_host_is_refused_naming_the_layout()
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(
            HostedJob.Create([1, 1, 1]), communicator => communicator.Scatter(communicator.Rank == 0 ? new int[12] : [], new int[4], 0, ScatterAlgorithm.NodeLeaders));

        Assert.That(failures, Has.All.TypeOf<NotSupportedException>()
            .With.Message.Contains("scatter algorithm node_leaders organises its messages by host").And.Message.Contains("run 3 hosts of 1, 1, 1 ranks, one per host"));
    }

    [Test]
    public void Forcing_a_node_aware_algorithm_on_a_communicator_that_does_not_span_hosts_is_refused_saying_why()
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(2, null, communicator => communicator.Broadcast(new int[4], 0, BroadcastAlgorithm.NodeLeaders));

        Assert.That(failures, Has.All.TypeOf<NotSupportedException>().With.Message.Contains("organises its messages by host").And.Message.Contains("do not span hosts"));
    }

    private static byte Select(CollectiveKind kind, long bytes, int[] ranksPerHost)
        => new AlgorithmSelector([]).Select(kind, bytes, ranksPerHost.Sum(), Availability(ranksPerHost)).Value;

    private static AlgorithmAvailability Availability(int[] ranksPerHost) => new(windows: false, offload: null, "test", HostedJob.Layout(ranksPerHost));
}
