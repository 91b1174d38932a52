using Collectives.Catalog;
using Collectives.Execution;

namespace Collectives.Tests.Catalog;

/// <summary>
/// How a call is verified is decided once, from its algorithm's row and the communicator: off when
/// asked or alone; on one segment every call steps in the windows (so ranks that picked a window
/// and a message algorithm meet there); otherwise only message algorithms that could finish
/// without hearing from every rank pay for a check: signatures sent to every peer ahead of the
/// data on up to eight ranks, a dissemination round in front of it on more; a node-aware rooted
/// algorithm checks as it runs, and any other node-aware one that may finish unheard runs a barrier
/// by host leaders in front of it.
/// </summary>
public class CallVerificationTests
{
    private static CollectiveAlgorithm Row(CollectiveKind kind, byte value) => AlgorithmCatalog.Find(kind, value)!;

    [Test]
    public void Verification_switched_off_is_off_for_every_row()
    {
        Assert.That(AlgorithmCatalog.All.Select(row => row.VerificationFor(count: 64, elementSize: 4, size: 4, hosts: 2, verifyCalls: false, oneSegment: true)), Has.All.EqualTo(CallVerification.Off));
    }

    [Test]
    public void A_message_algorithm_on_one_rank_is_not_verified()
        => Assert.That(Row(CollectiveKind.Reduce, (byte)ReduceAlgorithm.BinomialTree).VerificationFor(4, 4, 1, 1, true, false), Is.EqualTo(CallVerification.Off));

    [Test]
    public void On_one_segment_a_message_algorithm_verifies_in_a_window_step_even_when_it_verifies_itself()
        => Assert.That(Row(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.RecursiveDoubling).VerificationFor(64, 4, 4, 1, true, true), Is.EqualTo(CallVerification.WindowStep));

    [TestCase(CollectiveKind.Barrier, (byte)BarrierAlgorithm.Dissemination, 0)]
    [TestCase(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.RecursiveDoubling, 1)]
    [TestCase(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Ring, 4)]
    [TestCase(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Rabenseifner, 4)]
    public void A_message_algorithm_whose_messages_reach_every_rank_verifies_itself(CollectiveKind kind, byte value, int count)
        => Assert.That(Row(kind, value).VerificationFor(count, 4, 4, 1, true, false), Is.EqualTo(CallVerification.ByAlgorithm));

    [TestCase(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Ring, 1)]
    [TestCase(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Rabenseifner, 1)]
    [TestCase(CollectiveKind.Reduce, (byte)ReduceAlgorithm.BinomialTree, 64)]
    [TestCase(CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.ScatterAllgather, 64)]
    [TestCase(CollectiveKind.Gather, (byte)GatherAlgorithm.Linear, 64)]
    public void A_message_algorithm_that_may_finish_without_hearing_from_every_rank_exchanges_signatures_on_up_to_eight_ranks(CollectiveKind kind, byte value, int count)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(kind, value).VerificationFor(count, 4, 2, 1, true, false), Is.EqualTo(CallVerification.SignatureExchange));
            Assert.That(Row(kind, value).VerificationFor(count, 4, 8, 1, true, false), Is.EqualTo(CallVerification.SignatureExchange));
        }
    }

    [TestCase(CollectiveKind.Reduce, (byte)ReduceAlgorithm.BinomialTree, 64)]
    [TestCase(CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.ScatterAllgather, 64)]
    [TestCase(CollectiveKind.Scatter, (byte)ScatterAlgorithm.BinomialTree, 64)]
    public void A_message_algorithm_that_may_finish_without_hearing_from_every_rank_runs_a_dissemination_round_first_on_more_than_eight_ranks(CollectiveKind kind, byte value, int count)
        => Assert.That(Row(kind, value).VerificationFor(count, 4, 9, 1, true, false), Is.EqualTo(CallVerification.DisseminationRound));

    [TestCase(CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.NodeLeaders)]
    [TestCase(CollectiveKind.Reduce, (byte)ReduceAlgorithm.NodeLeaders)]
    [TestCase(CollectiveKind.Gather, (byte)GatherAlgorithm.NodeLeaders)]
    [TestCase(CollectiveKind.Scatter, (byte)ScatterAlgorithm.NodeLeaders)]
    public void A_rooted_node_aware_algorithm_verifies_the_call_as_it_runs(CollectiveKind kind, byte value)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(kind, value).VerificationFor(64, 4, 4, 2, true, false), Is.EqualTo(CallVerification.ByAlgorithm));
            Assert.That(Row(kind, value).VerificationFor(64, 4, 32, 16, true, false), Is.EqualTo(CallVerification.ByAlgorithm));
        }
    }

    [Test]
    public void An_allreduce_by_slices_shorter_than_the_ranks_runs_a_barrier_by_host_leaders_first()
        => Assert.That(Row(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.NodeSlices).VerificationFor(3, 4, 4, 2, true, false), Is.EqualTo(CallVerification.HostLeadersBarrier));

    // Two floats on 8 ranks of 4 hosts: fewer elements than ranks, but the leaders' recursive
    // doubling exchanges a message at every step, so every rank hears from every other.
    [TestCase(2, 8, 4)]
    [TestCase(1, 4, 2)]
    [TestCase(64, 16, 8)]
    public void A_node_leaders_allreduce_verifies_itself_when_the_leaders_algorithm_does(int count, int size, int hosts)
        => Assert.That(Row(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.NodeLeaders).VerificationFor(count, 4, size, hosts, true, false), Is.EqualTo(CallVerification.ByAlgorithm));

    [Test]
    public void An_empty_node_leaders_allreduce_runs_a_barrier_by_host_leaders_first()
        => Assert.That(Row(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.NodeLeaders).VerificationFor(0, 4, 4, 2, true, false), Is.EqualTo(CallVerification.HostLeadersBarrier));

    [TestCase(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.SharedMemoryFlat)]
    [TestCase(CollectiveKind.Barrier, (byte)BarrierAlgorithm.SharedMemory)]
    [TestCase(CollectiveKind.Reduce, (byte)ReduceAlgorithm.Offload)]
    public void Window_and_offload_algorithms_verify_as_they_run(CollectiveKind kind, byte value)
        => Assert.That(Row(kind, value).VerificationFor(64, 4, 4, 1, true, true), Is.EqualTo(CallVerification.ByAlgorithm));
}
