using Collectives.Bootstrap;
using Collectives.Selection;
using Collectives.Tests.Support;

namespace Collectives.Tests.Selection;

/// <summary>
/// Which algorithms a communicator on one shared-memory segment gets, and what happens when a
/// shared-memory algorithm is asked for where there is no segment.
/// </summary>
public class SharedMemorySelectionTests
{
    private static readonly AlgorithmSelector Defaults = new([]);

    [TestCase(CollectiveKind.Allreduce, 8, AllreduceAlgorithm.SharedMemoryFlat)]
    [TestCase(CollectiveKind.Allreduce, 16 << 20, AllreduceAlgorithm.SharedMemoryReduceScatter)]
    public void On_one_segment_the_default_allreduce_works_in_the_windows(CollectiveKind kind, long bytes, AllreduceAlgorithm expected)
    {
        Assert.That((AllreduceAlgorithm)Defaults.SelectValue(kind, bytes, 4, sharedMemory: true), Is.EqualTo(expected));
    }

    [Test]
    public void On_one_segment_the_default_barrier_and_broadcast_work_in_the_windows()
    {
        Assert.That((BarrierAlgorithm)Defaults.SelectValue(CollectiveKind.Barrier, 0, 8, sharedMemory: true), Is.EqualTo(BarrierAlgorithm.SharedMemory));
        Assert.That((BroadcastAlgorithm)Defaults.SelectValue(CollectiveKind.Broadcast, 1 << 20, 8, sharedMemory: true), Is.EqualTo(BroadcastAlgorithm.SharedMemory));
    }

    [TestCase(0L)]
    [TestCase(8L)]
    [TestCase(16L << 20)]
    public void On_one_segment_the_default_allgather_works_in_the_windows_at_every_size(long blockBytes)
        => Assert.That((AllgatherAlgorithm)Defaults.SelectValue(CollectiveKind.Allgather, blockBytes, 5, sharedMemory: true), Is.EqualTo(AllgatherAlgorithm.SharedMemory));

    [TestCase(0L)]
    [TestCase(8L)]
    [TestCase(16L << 20)]
    public void On_one_segment_the_default_reduce_scatter_works_in_the_windows_at_every_size(long blockBytes)
        => Assert.That((ReduceScatterAlgorithm)Defaults.SelectValue(CollectiveKind.ReduceScatter, blockBytes, 5, sharedMemory: true), Is.EqualTo(ReduceScatterAlgorithm.SharedMemory));

    [TestCase(0L)]
    [TestCase(8L)]
    [TestCase(16L << 20)]
    public void On_one_segment_the_default_gather_scatter_and_alltoall_work_in_the_windows_at_every_size(long blockBytes)
    {
        Assert.That((GatherAlgorithm)Defaults.SelectValue(CollectiveKind.Gather, blockBytes, 5, sharedMemory: true), Is.EqualTo(GatherAlgorithm.SharedMemory));
        Assert.That((ScatterAlgorithm)Defaults.SelectValue(CollectiveKind.Scatter, blockBytes, 5, sharedMemory: true), Is.EqualTo(ScatterAlgorithm.SharedMemory));
        Assert.That((AlltoallAlgorithm)Defaults.SelectValue(CollectiveKind.Alltoall, blockBytes, 5, sharedMemory: true), Is.EqualTo(AlltoallAlgorithm.SharedMemory));
    }

    [Test]
    public void Without_a_segment_an_override_naming_a_shared_memory_algorithm_is_passed_over()
    {
        var selector = new AlgorithmSelector(SelectionTable.Parse("allreduce:*:shm_flat", "test"));

        Assert.That((AllreduceAlgorithm)selector.SelectValue(CollectiveKind.Allreduce, 8, 4, sharedMemory: false), Is.EqualTo(AllreduceAlgorithm.RecursiveDoubling));
        Assert.That((AllreduceAlgorithm)selector.SelectValue(CollectiveKind.Allreduce, 16 << 20, 4, sharedMemory: true), Is.EqualTo(AllreduceAlgorithm.SharedMemoryFlat));
    }

    [Test]
    public void Forcing_a_shared_memory_algorithm_without_a_segment_throws_NotSupportedException_naming_it()
    {
        Communicator[] ranks = Communicator.CreateLocal(2);
        try
        {
            float[] data = new float[4];

            Assert.That(() => ranks[0].Allreduce(data.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.SharedMemoryFlat),
                Throws.TypeOf<NotSupportedException>().With.Message.Contains("shm_flat"));
        }
        finally
        {
            foreach (Communicator rank in ranks)
            {
                rank.Dispose();
            }
        }
    }

    [Test]
    [Platform("Linux")]
    public void On_one_segment_a_blocking_call_with_the_default_selection_runs_in_the_windows()
    {
        var recorded = new List<string>();
        LocalJob.Run(3, null, communicator =>
        {
            float[] data = [communicator.Rank + 1];
            communicator.Allreduce(data.AsSpan(), ReduceOp.Sum);
            lock (recorded)
            {
                recorded.Add($"{communicator.TransportName}:{data[0]}");
            }
        }, TestTransport.SharedMemory);

        Assert.That(recorded, Has.All.EqualTo("shm:6"));
    }

    [TestCase("udp")]
    [TestCase("infiniband")]
    public void An_unknown_transport_name_is_refused_naming_the_choices(string name)
    {
        Assert.That(() => TransportConnector.Choose(name), Throws.TypeOf<NotSupportedException>().With.Message.Contains("auto, shm or tcp"));
    }

    [TestCase(null, "auto")]
    [TestCase(" SHM ", "shm")]
    [TestCase("tcp", "tcp")]
    public void Transport_names_are_read_case_insensitively_and_default_to_auto(string? given, string expected)
    {
        Assert.That(TransportConnector.Choose(given), Is.EqualTo(expected));
    }
}
