using Collectives.Topology;

namespace Collectives.Tests.Faults;

/// <summary>
/// Ranks that disagree about a call get <see cref="CollectiveMismatchException"/> on every rank,
/// never a hang and never unrelated data.
/// </summary>
/// <remarks>
/// <para>Each rank makes the mismatched call and then a Barrier. With call verification (the
/// default, <see cref="CommunicatorOptions.VerifyCalls"/>) every rank throws in the mismatched call
/// itself. Without it, detection happens only where a rank receives a message carrying a
/// signature other than its own; the detector then aborts the job and every other rank rethrows
/// its exception. So where the failure surfaces depends on data flow:</para>
/// <list type="bullet">
/// <item>In Allreduce and Barrier every rank's completion depends on every other rank, so every rank
/// throws in the mismatched call itself.</item>
/// <item>In Broadcast and Reduce a rank whose part is only to send (the broadcast root, a reduce
/// leaf) can finish the mismatched call and throws in the Barrier after it. A rank that must
/// receive something only a disagreeing rank could send cannot finish, and throws in the call.</item>
/// </list>
/// <para>Each scenario states the failing call for the ranks where the above decides it, and
/// accepts either call elsewhere. Disagreements that leave every rank waiting with no message
/// crossing cannot be seen as mismatches; <see cref="UndetectableMismatchTests"/> covers those.
/// Different operations and different algorithms cannot be set up end to end yet (only Sum has a
/// kernel, and only one algorithm per collective is implemented); <see cref="SignatureVerificationTests"/>
/// checks that every signature field, op and algorithm included, is verified.</para>
/// </remarks>
public class MismatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    // Up to 8 ranks a call is verified by signatures sent ahead of the data; 9 runs the dissemination round.
    private static readonly int[] Sizes = [2, 3, 4, 8, 9];

    public static IEnumerable<TestCaseData> Scenarios()
    {
        foreach (int size in Sizes)
        {
            int last = size - 1;
            int?[] everyRankInTheCall = Enumerable.Repeat<int?>(1, size).ToArray();

            yield return Case("Allreduce count differs", size,
                rank => rank == last ? RankCall.Allreduce<int>(5) : RankCall.Allreduce<int>(4),
                everyRankInTheCall);

            // Every chunk holds an element on every rank, so every step exchanges in both directions.
            yield return Case("Allreduce count differs (Rabenseifner)", size,
                rank => rank == last ? RankCall.Allreduce<int>(9, AllreduceAlgorithm.Rabenseifner) : RankCall.Allreduce<int>(8, AllreduceAlgorithm.Rabenseifner),
                everyRankInTheCall);

            yield return Case("Allreduce count differs (ring)", size,
                rank => rank == last ? RankCall.Allreduce<int>(9, AllreduceAlgorithm.Ring) : RankCall.Allreduce<int>(8, AllreduceAlgorithm.Ring),
                everyRankInTheCall);

            yield return Case("Allreduce element type differs, same width (float vs int)", size,
                rank => rank == last ? RankCall.Allreduce<float>(4) : RankCall.Allreduce<int>(4),
                everyRankInTheCall);

            yield return Case("Allreduce element type differs, other width (long vs int)", size,
                rank => rank == last ? RankCall.Allreduce<long>(4) : RankCall.Allreduce<int>(4),
                everyRankInTheCall);

            // Every allgather algorithm exchanges at every step and forwards only what it checked.
            foreach (AllgatherAlgorithm algorithm in new[] { AllgatherAlgorithm.Ring, AllgatherAlgorithm.RecursiveDoubling, AllgatherAlgorithm.Bruck })
            {
                yield return Case($"Allgather count differs ({algorithm})", size,
                    rank => rank == last ? RankCall.Allgather<int>(5, algorithm) : RankCall.Allgather<int>(4, algorithm),
                    everyRankInTheCall);
            }

            yield return Case("Allgather of nothing where the others gather one element", size,
                rank => rank == last ? RankCall.Allgather<int>(0) : RankCall.Allgather<int>(1),
                everyRankInTheCall);

            yield return Case("Allgather where the others call Allreduce", size,
                rank => rank == last ? RankCall.Allgather<int>(4) : RankCall.Allreduce<int>(4),
                everyRankInTheCall);

            // Every reduce-scatter algorithm exchanges at every step, and what it sends carries what it checked.
            foreach (ReduceScatterAlgorithm algorithm in new[] { ReduceScatterAlgorithm.Ring, ReduceScatterAlgorithm.RecursiveHalving })
            {
                yield return Case($"ReduceScatter count differs ({algorithm})", size,
                    rank => rank == last ? RankCall.ReduceScatter<int>(5, algorithm) : RankCall.ReduceScatter<int>(4, algorithm),
                    everyRankInTheCall);

                yield return Case($"ReduceScatter of nothing where the others reduce one element each ({algorithm})", size,
                    rank => rank == last ? RankCall.ReduceScatter<int>(0, algorithm) : RankCall.ReduceScatter<int>(1, algorithm),
                    everyRankInTheCall);
            }

            yield return Case("ReduceScatter where the others call Allreduce", size,
                rank => rank == last ? RankCall.ReduceScatter<int>(4) : RankCall.Allreduce<int>(4),
                everyRankInTheCall);

            // The root needs every rank's block, the last rank's among them, whichever rank checks it.
            foreach (GatherAlgorithm algorithm in new[] { GatherAlgorithm.BinomialTree, GatherAlgorithm.Linear })
            {
                yield return Case($"Gather count differs at the last rank ({algorithm})", size,
                    rank => rank == last ? RankCall.Gather<int>(5, 0, algorithm) : RankCall.Gather<int>(4, 0, algorithm),
                    Only(size, 0, 1));
            }

            // The last rank must receive its block, which only a rank that disagrees sends it.
            foreach (ScatterAlgorithm algorithm in new[] { ScatterAlgorithm.BinomialTree, ScatterAlgorithm.Linear })
            {
                yield return Case($"Scatter count differs at the last rank ({algorithm})", size,
                    rank => rank == last ? RankCall.Scatter<int>(5, 0, algorithm) : RankCall.Scatter<int>(4, 0, algorithm),
                    Only(size, last, 1));
            }

            // Every alltoall algorithm exchanges at every step, so every rank hears from every other.
            foreach (AlltoallAlgorithm algorithm in new[] { AlltoallAlgorithm.Pairwise, AlltoallAlgorithm.Bruck, AlltoallAlgorithm.Scattered })
            {
                yield return Case($"Alltoall count differs ({algorithm})", size,
                    rank => rank == last ? RankCall.Alltoall<int>(3, algorithm) : RankCall.Alltoall<int>(2, algorithm),
                    everyRankInTheCall);
            }

            yield return Case("Barrier where the others call Allreduce", size,
                rank => rank == last ? RankCall.Barrier() : RankCall.Allreduce<int>(4),
                everyRankInTheCall);

            yield return Case("Allreduce where the others call Barrier", size,
                rank => rank == last ? RankCall.Allreduce<int>(4) : RankCall.Barrier(),
                everyRankInTheCall);

            // The Allreduce ranks depend on everyone; the reduce leaf only sends.
            yield return Case("Reduce where the others call Allreduce", size,
                rank => rank == last ? RankCall.Reduce<int>(4, root: 0) : RankCall.Allreduce<int>(4),
                Enumerable.Range(0, size).Select(rank => (int?)(rank == last ? 2 : 1)).ToArray());

            // The Allreduce rank must receive, and nobody sends it an Allreduce message.
            yield return Case("Allreduce where the others call Broadcast", size,
                rank => rank == last ? RankCall.Allreduce<int>(4) : RankCall.Broadcast<int>(4, root: 0),
                Only(size, last, 1));

            yield return Case("Broadcast count differs at a leaf", size,
                rank => rank == last ? RankCall.Broadcast<int>(5, root: 0) : RankCall.Broadcast<int>(4, root: 0),
                Only(size, last, 1));

            yield return Case("Broadcast element type differs at a leaf", size,
                rank => rank == last ? RankCall.Broadcast<float>(4, root: 0) : RankCall.Broadcast<int>(4, root: 0),
                Only(size, last, 1));

            // Every non-root rank's data comes from the root, whose messages all disagree.
            yield return Case("Broadcast count differs at the root", size,
                rank => rank == 0 ? RankCall.Broadcast<int>(5, root: 0) : RankCall.Broadcast<int>(4, root: 0),
                Enumerable.Range(0, size).Select(rank => rank == 0 ? null : (int?)1).ToArray());

            // The leaf only sends, so it finishes the Reduce; its ancestors wait for its subtree.
            yield return Case("Reduce count differs at a leaf", size,
                rank => rank == last ? RankCall.Reduce<int>(5, root: 0) : RankCall.Reduce<int>(4, root: 0),
                ReduceLeafExpectations(size, leaf: last));

            yield return Case("Reduce count differs at the root", size,
                rank => rank == 0 ? RankCall.Reduce<int>(5, root: 0) : RankCall.Reduce<int>(4, root: 0),
                Only(size, 0, 1));

            // With two ranks both believe they are the root, so both only send and both learn of it in the Barrier.
            // With more, the last rank waits for a root-1 tree message that no rank sends.
            yield return Case("Broadcast root differs", size,
                rank => rank == last ? RankCall.Broadcast<int>(4, root: 1) : RankCall.Broadcast<int>(4, root: 0),
                size == 2 ? [2, 2] : Only(size, last, 1));

            // Whether a wrong root is seen depends on where the disagreeing rank sends. Here some rank
            // always receives a message it can check (compare UndetectableMismatchTests); rank 1, the
            // root the others agree on, waits for a subtree that cannot complete.
            int otherRoot = size == 8 ? 3 : 0;
            yield return Case($"Reduce root differs (rank {last} says {otherRoot}, the others 1)", size,
                rank => rank == last ? RankCall.Reduce<int>(4, root: otherRoot) : RankCall.Reduce<int>(4, root: 1),
                size == 2 ? [2, 2] : Only(size, 1, 1));
        }
    }

    [TestCaseSource(nameof(Scenarios))]
    public void Every_rank_throws_CollectiveMismatchException_in_the_mismatched_call_itself(MismatchScenario scenario)
    {
        RankOutcome[] outcomes = RunWithBarrier(scenario);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
        Assert.That(outcomes.Select(outcome => outcome.FailedCall), Has.All.EqualTo(1), Describe(outcomes));
    }

    [TestCaseSource(nameof(Scenarios))]
    public void Without_call_verification_every_rank_throws_CollectiveMismatchException_in_the_call_or_the_next(MismatchScenario scenario)
    {
        RankOutcome[] outcomes = RunWithBarrier(scenario, verifyCalls: false);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
        Assert.That(outcomes.Select(outcome => outcome.FailedCall), Has.All.InRange(1, 2), Describe(outcomes));
    }

    [TestCaseSource(nameof(Scenarios))]
    public void Without_call_verification_each_rank_throws_in_the_call_its_part_in_the_collective_determines(MismatchScenario scenario)
    {
        RankOutcome[] outcomes = RunWithBarrier(scenario, verifyCalls: false);

        int?[] expected = scenario.ExpectedFailedCall;
        int?[] actual = outcomes.Select((outcome, rank) => expected[rank] is null ? null : outcome.FailedCall).ToArray();
        Assert.That(actual, Is.EqualTo(expected), Describe(outcomes));
    }

    [TestCaseSource(nameof(Scenarios))]
    public void The_exception_names_what_each_of_the_two_ranks_really_called(MismatchScenario scenario)
    {
        RankOutcome[] outcomes = RunWithBarrier(scenario);

        using (Assert.EnterMultipleScope())
        {
            foreach (RankOutcome outcome in outcomes)
            {
                if (outcome.Failure is not CollectiveMismatchException mismatch)
                {
                    Assert.Fail($"rank {outcome.Rank} did not throw a mismatch: {outcome}");
                    continue;
                }

                Assert.That(mismatch.Local, Is.EqualTo(scenario.SignatureOf(mismatch.LocalRank, mismatch.Local.Sequence)), $"Local, seen by rank {outcome.Rank}");
                Assert.That(mismatch.Remote, Is.EqualTo(scenario.SignatureOf(mismatch.RemoteRank, mismatch.Remote.Sequence)), $"Remote, seen by rank {outcome.Rank}");
                Assert.That(mismatch.Remote, Is.Not.EqualTo(mismatch.Local), $"rank {outcome.Rank}");
            }
        }
    }

    [TestCaseSource(nameof(Scenarios))]
    public void The_rank_named_as_detector_saw_the_mismatch_itself(MismatchScenario scenario)
    {
        RankOutcome[] outcomes = RunWithBarrier(scenario);

        var mismatches = outcomes.Select(outcome => outcome.Failure).OfType<CollectiveMismatchException>().ToArray();
        Assert.That(mismatches, Has.Length.EqualTo(outcomes.Length), Describe(outcomes));
        foreach (CollectiveMismatchException mismatch in mismatches)
        {
            Assert.That(outcomes[mismatch.LocalRank].Failure, Is.TypeOf<CollectiveMismatchException>()
                .With.Property(nameof(CollectiveMismatchException.LocalRank)).EqualTo(mismatch.LocalRank), Describe(outcomes));
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(8)]
    public void Ranks_configured_with_different_segment_sizes_throw_CollectiveMismatchException_explaining_it(int size)
    {
        // Same call on every rank, but rank 0 splits messages into 8-byte segments.
        var transports = Transport.InProcess.InProcessTransport.CreateGroup(size);
        Communicator[] ranks = transports.Select(transport => Communicator.Create(transport, new CommunicatorOptions
        {
            Timeout = Timeout,
            SegmentSize = transport.Rank == 0 ? 8 : CommunicatorOptions.DefaultSegmentSize,
        })).ToArray();
        using var job = new FaultJob(ranks, Timeout);

        RankOutcome[] outcomes = job.Run(rank => communicator => communicator.Allreduce(new int[16].AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling));

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>()
            .With.Property(nameof(CollectiveMismatchException.Detail)).Contains("segment sizes"), Describe(outcomes));
    }

    [TestCase(AllreduceAlgorithm.Ring)]
    [TestCase(AllreduceAlgorithm.Rabenseifner)]
    public void An_allreduce_with_fewer_elements_than_ranks_still_throws_CollectiveMismatchException_in_the_call_on_every_rank(AllreduceAlgorithm algorithm)
    {
        // Empty chunks send no message, so these calls do not verify themselves and need the exchange.
        var scenario = new MismatchScenario("count differs, empty chunks", 4,
            rank => rank == 3 ? RankCall.Allreduce<int>(3, algorithm) : RankCall.Allreduce<int>(2, algorithm), [null, null, null, null]);

        RankOutcome[] outcomes = RunWithBarrier(scenario);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
        Assert.That(outcomes.Select(outcome => outcome.FailedCall), Has.All.EqualTo(1), Describe(outcomes));
    }

    [TestCase(AllgatherAlgorithm.Ring)]
    [TestCase(AllgatherAlgorithm.RecursiveDoubling)]
    [TestCase(AllgatherAlgorithm.Bruck)]
    public void An_allgatherv_whose_ranks_disagree_about_one_count_but_not_the_total_throws_CollectiveMismatchException_on_every_rank(AllgatherAlgorithm algorithm)
    {
        using var job = new FaultJob(3, Timeout);

        RankOutcome[] outcomes = job.Run(rank => communicator =>
        {
            int[] counts = rank == 2 ? [2, 1, 3] : [1, 2, 3];
            communicator.AllgatherV(new int[counts[rank]], new int[6].AsSpan(), counts, algorithm);
        });

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
    }

    [TestCase(ReduceScatterAlgorithm.Ring)]
    [TestCase(ReduceScatterAlgorithm.RecursiveHalving)]
    public void A_reduce_scatterv_whose_ranks_disagree_about_one_count_but_not_the_total_throws_CollectiveMismatchException_on_every_rank(ReduceScatterAlgorithm algorithm)
    {
        using var job = new FaultJob(3, Timeout);

        RankOutcome[] outcomes = job.Run(rank => communicator =>
        {
            int[] counts = rank == 2 ? [2, 1, 3] : [1, 2, 3];
            communicator.ReduceScatterV(new int[6], new int[counts[rank]].AsSpan(), counts, ReduceOp.Sum, algorithm);
        });

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
    }

    [TestCase(GatherAlgorithm.BinomialTree)]
    [TestCase(GatherAlgorithm.Linear)]
    public void A_gatherv_whose_ranks_disagree_about_one_count_but_not_the_total_throws_CollectiveMismatchException_on_every_rank(GatherAlgorithm algorithm)
    {
        using var job = new FaultJob(3, Timeout);

        RankOutcome[] outcomes = job.Run(rank => communicator =>
        {
            int[] counts = rank == 2 ? [2, 1, 3] : [1, 2, 3];
            communicator.GatherV(new int[counts[rank]], new int[6].AsSpan(), counts, root: 0, algorithm);
        });

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
    }

    [TestCase(ScatterAlgorithm.BinomialTree)]
    [TestCase(ScatterAlgorithm.Linear)]
    public void A_scatterv_whose_ranks_disagree_about_one_count_but_not_the_total_throws_CollectiveMismatchException_on_every_rank(ScatterAlgorithm algorithm)
    {
        using var job = new FaultJob(3, Timeout);

        RankOutcome[] outcomes = job.Run(rank => communicator =>
        {
            int[] counts = rank == 1 ? [1, 3, 2] : [1, 2, 3];
            communicator.ScatterV(new int[6], new int[counts[rank]].AsSpan(), counts, root: 1, algorithm);
        });

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
    }

    [TestCase(GatherAlgorithm.BinomialTree)]
    [TestCase(GatherAlgorithm.Linear)]
    public void A_gather_whose_ranks_disagree_about_the_root_throws_CollectiveMismatchException_on_every_rank(GatherAlgorithm algorithm)
    {
        using var job = new FaultJob(4, Timeout);

        RankOutcome[] outcomes = job.Run(rank => RankCall.Gather<int>(4, rank == 3 ? 3 : 0, algorithm).Invoke);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
    }

    [Test]
    public void A_scatter_where_the_others_call_gather_throws_CollectiveMismatchException_on_every_rank()
    {
        using var job = new FaultJob(3, Timeout);

        RankOutcome[] outcomes = job.Run(rank => (rank == 2 ? RankCall.Scatter<int>(4, 0) : RankCall.Gather<int>(4, 0)).Invoke);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
    }

    [Test]
    public void An_alltoallv_receive_count_that_differs_from_the_senders_send_count_throws_CollectiveMismatchException_naming_both_counts()
    {
        using var job = new FaultJob(3, Timeout);

        // Rank 2 sends rank 0 two elements, but rank 0 expects three from it (and one more in all).
        // Rank 1's pairs all agree, so it may finish with correct blocks before it hears of the abort.
        RankOutcome[] outcomes = job.Run(rank => communicator =>
        {
            int[] sendCounts = [1, 1, 1];
            int[] receiveCounts = rank == 0 ? [1, 1, 3] : [1, 1, 1];
            if (rank == 2)
            {
                sendCounts = [2, 1, 1];
            }

            communicator.AlltoallV<int>(new int[sendCounts.Sum()], sendCounts, new int[receiveCounts.Sum()], receiveCounts, AlltoallAlgorithm.Pairwise);
        });

        Assert.That(outcomes[0].Failure, Is.TypeOf<CollectiveMismatchException>()
            .With.Message.Contains("rank 2 sends this rank 2 elements where this rank's receive count for rank 2 is 3"), Describe(outcomes));
    }

    [Test]
    public void A_later_call_on_a_communicator_broken_by_a_mismatch_throws_the_mismatch_again()
    {
        using var job = new FaultJob(3, Timeout);
        job.Run(rank => RankCall.Allreduce<int>(rank == 2 ? 5 : 4).Invoke);

        RankOutcome[] later = job.Run(rank => communicator => communicator.Barrier());

        Assert.That(later.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(later));
    }

    private static RankOutcome[] RunWithBarrier(MismatchScenario scenario, bool verifyCalls = true)
    {
        using var job = new FaultJob(scenario.Size, Timeout, verifyCalls);
        return job.Run(rank => [scenario.CallOf(rank).Invoke, communicator => communicator.Barrier()]);
    }

    private static TestCaseData Case(string name, int size, Func<int, RankCall> callOf, int?[] expectedFailedCall)
        => new TestCaseData(new MismatchScenario(name, size, callOf, expectedFailedCall)).SetArgDisplayNames($"{name}, {size} ranks");

    /// <summary>Only <paramref name="rank"/>'s failing call is determined.</summary>
    private static int?[] Only(int size, int rank, int call)
    {
        var expected = new int?[size];
        expected[rank] = call;
        return expected;
    }

    /// <summary>A reduce leaf that disagrees throws in the Barrier; every ancestor of it throws in the Reduce.</summary>
    private static int?[] ReduceLeafExpectations(int size, int leaf)
    {
        Tree tree = Tree.Binomial(size, 0);
        Assert.That(tree.Children(leaf).Length, Is.Zero, $"rank {leaf} should be a leaf of the binomial tree");
        var expected = new int?[size];
        expected[leaf] = 2;
        for (int ancestor = tree.Parent(leaf); ancestor >= 0; ancestor = tree.Parent(ancestor))
        {
            expected[ancestor] = 1;
        }

        return expected;
    }

    private static string Describe(RankOutcome[] outcomes) => Environment.NewLine + string.Join(Environment.NewLine, outcomes.Select(outcome => outcome.ToString()));
}

/// <summary>A mismatched call: what each rank calls first (a Barrier follows), and where the failure must surface.</summary>
/// <param name="Name">What disagrees.</param>
/// <param name="Size">Number of ranks.</param>
/// <param name="CallOf">Each rank's first call.</param>
/// <param name="ExpectedFailedCall">Without call verification, per rank: 1 (the call) or 2 (the Barrier) where determined, else null.</param>
public sealed record MismatchScenario(string Name, int Size, Func<int, RankCall> CallOf, int?[] ExpectedFailedCall)
{
    internal CollectiveSignature SignatureOf(int rank, ulong sequence)
        => sequence == 1 ? CallOf(rank).SignatureAt(1) : RankCall.Barrier().SignatureAt(sequence);

    public override string ToString() => $"{Name}, {Size} ranks";
}
