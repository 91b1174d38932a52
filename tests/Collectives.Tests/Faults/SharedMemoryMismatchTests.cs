using Collectives.Tests.Support;

namespace Collectives.Tests.Faults;

/// <summary>
/// Calls that disagree over shared memory, with the table's choice of algorithm (and the flag
/// protocol forced): a rank whose wait would never end, because the rank it waits for made another
/// call (another root, count, element type or collective), throws
/// <see cref="CollectiveMismatchException"/> instead of waiting until the timeout, and so does
/// every other rank. Each job ends with a barrier, so that a disagreement the call itself lets
/// through (a rank that believes itself the root returns at once) is caught there.
/// </summary>
[Category("SharedMemory")]
[Platform("Linux")]
public class SharedMemoryMismatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    private static readonly int[] Sizes = [2, 3, 4, 5, 8, 12];

    [TestCaseSource(nameof(Sizes))]
    public void A_rank_that_broadcasts_from_another_root_is_caught(int size)
        => AssertEveryRankMismatches(size, rank => rank == size - 1 ? Broadcast<int>(4, Math.Min(1, size - 1)) : Broadcast<int>(4, 0));

    [TestCaseSource(nameof(Sizes))]
    public void A_root_that_broadcasts_more_elements_than_fit_a_flag_buffer_is_caught(int size)
        => AssertEveryRankMismatches(size, rank => Broadcast<int>(rank == 0 ? 1000 : 4, 0));

    [TestCaseSource(nameof(Sizes))]
    public void A_rank_that_broadcasts_another_count_is_caught(int size)
        => AssertEveryRankMismatches(size, rank => Broadcast<int>(rank == size - 1 ? 5 : 4, 0));

    [TestCaseSource(nameof(Sizes))]
    public void A_root_that_makes_another_collective_is_caught(int size)
        => AssertEveryRankMismatches(size, rank => rank == 0
            ? communicator => communicator.Allreduce(new int[4].AsSpan(), ReduceOp.Sum)
            : Broadcast<int>(4, 0));

    [TestCaseSource(nameof(Sizes))]
    public void A_rank_that_makes_another_collective_than_the_root_s_broadcast_is_caught(int size)
        => AssertEveryRankMismatches(size, rank => rank == size - 1
            ? communicator => communicator.Allreduce(new int[4].AsSpan(), ReduceOp.Sum)
            : Broadcast<int>(4, 0));

    [TestCaseSource(nameof(Sizes))]
    public void A_root_that_broadcasts_another_element_type_is_caught(int size)
        => AssertEveryRankMismatches(size, rank => rank == 0 ? Broadcast<double>(4, 0) : Broadcast<int>(4, 0));

    [TestCaseSource(nameof(Sizes))]
    public void A_rank_that_waits_for_another_root_in_the_flag_broadcast_is_caught(int size)
        => AssertEveryRankMismatches(size, rank => Broadcast<int>(4, rank == size - 1 ? Math.Min(1, size - 1) : 0, BroadcastAlgorithm.SharedMemoryTree));

    [TestCaseSource(nameof(Sizes))]
    public void A_root_that_steps_while_the_others_wait_for_its_flag_is_caught(int size)
        => AssertEveryRankMismatches(size, rank => rank == 0
            ? communicator => communicator.Barrier(BarrierAlgorithm.SharedMemory)
            : Broadcast<int>(4, 0, BroadcastAlgorithm.SharedMemoryTree));

    [TestCaseSource(nameof(Sizes))]
    public void A_root_that_scatters_another_count_by_flags_is_caught(int size)
        => AssertEveryRankMismatches(size, rank => communicator =>
        {
            int count = rank == 0 ? 300 : 2;
            communicator.Scatter<int>(new int[count * size], new int[count], 0, ScatterAlgorithm.SharedMemoryFlags);
        });

    private static Action<Communicator> Broadcast<T>(int count, int root, BroadcastAlgorithm algorithm = BroadcastAlgorithm.Auto)
        where T : unmanaged
        => communicator => communicator.Broadcast(new T[count].AsSpan(), root, algorithm);

    private static void AssertEveryRankMismatches(int size, Func<int, Action<Communicator>> callOf)
    {
        using var job = new FaultJob(TestJobs.Create(size, new CommunicatorOptions { Timeout = Timeout }, TestTransport.SharedMemory), Timeout);

        RankOutcome[] outcomes = job.Run(rank => [callOf(rank), communicator => communicator.Barrier()]);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), string.Join("; ", outcomes));
    }
}
