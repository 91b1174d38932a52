using Collectives.Tests.Support;

namespace Collectives.Tests.Faults;

/// <summary>
/// A small rooted call lets the first data message on an edge carry the signature in place of a
/// signature message of its own (the broadcast or scatter root to its children, a reduce or gather
/// leaf to its parent). Both ends of an edge derive that from their call, so ranks that disagree
/// about the call may also disagree about which message comes first: still every rank reads the
/// other's first message, rejects its signature, and throws <see cref="CollectiveMismatchException"/>
/// in the call itself, over memory and over TCP alike.
/// </summary>
public class FoldedSignatureMismatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Elements of int in a call too large to fold (32 KiB, above CollectiveContext.SignatureFoldLimit).</summary>
    private const int Unfolded = 8192;

    public static IEnumerable<TestCaseData> Scenarios()
    {
        foreach (TestTransport transport in new[] { TestTransport.InProcess, TestTransport.Tcp })
        {
            foreach (int size in new[] { 2, 3, 4 })
            {
                foreach ((string name, Func<int, int, RankCall> callOf) in Disagreements())
                {
                    yield return new TestCaseData(transport, size, callOf).SetArgDisplayNames($"{name}, {size} ranks, {transport}");
                }
            }
        }
    }

    /// <summary>Each rank's call given its rank and the job's size: the last rank disagrees with the others.</summary>
    private static IEnumerable<(string Name, Func<int, int, RankCall> CallOf)> Disagreements()
    {
        // Roots: a root folds into its children's data or waits for its leaves' data, where the others expect otherwise.
        yield return ("Broadcast root differs", (rank, size) => RankCall.Broadcast<int>(4, root: rank == size - 1 ? size - 1 : 0));
        yield return ("Broadcast where each rank names the next as root", (rank, size) => RankCall.Broadcast<int>(4, root: (rank + 1) % size));
        yield return ("Reduce root differs", (rank, size) => RankCall.Reduce<int>(4, root: rank == size - 1 ? size - 1 : 0));
        yield return ("Reduce where each rank names itself as root", (rank, _) => RankCall.Reduce<int>(4, root: rank));
        yield return ("Gather root differs (binomial)", (rank, size) => RankCall.Gather<int>(4, rank == size - 1 ? size - 1 : 0, GatherAlgorithm.BinomialTree));
        yield return ("Gather root differs (linear)", (rank, size) => RankCall.Gather<int>(4, rank == size - 1 ? size - 1 : 0, GatherAlgorithm.Linear));
        yield return ("Scatter root differs (binomial)", (rank, size) => RankCall.Scatter<int>(4, rank == size - 1 ? size - 1 : 0, ScatterAlgorithm.BinomialTree));
        yield return ("Scatter root differs (linear)", (rank, size) => RankCall.Scatter<int>(4, rank == size - 1 ? size - 1 : 0, ScatterAlgorithm.Linear));

        // Counts: both calls folded, and one folded where the other is too large to fold.
        yield return ("Broadcast count differs at a leaf, both folded", (rank, size) => RankCall.Broadcast<int>(rank == size - 1 ? 5 : 4, root: 0));
        yield return ("Broadcast count differs at the root, only the root's call folded", (rank, _) => RankCall.Broadcast<int>(rank == 0 ? 4 : Unfolded, root: 0));
        yield return ("Broadcast count differs at a leaf, only the leaf's call folded", (rank, size) => RankCall.Broadcast<int>(rank == size - 1 ? 4 : Unfolded, root: 0));
        yield return ("Reduce count differs at a leaf, both folded", (rank, size) => RankCall.Reduce<int>(rank == size - 1 ? 5 : 4, root: 0));
        yield return ("Reduce count differs at a leaf, only the leaf's call folded", (rank, size) => RankCall.Reduce<int>(rank == size - 1 ? 4 : Unfolded, root: 0));
        yield return ("Reduce count differs at the root, only the root's call folded", (rank, _) => RankCall.Reduce<int>(rank == 0 ? 4 : Unfolded, root: 0));
        yield return ("Gather count differs at the last rank, only its call folded", (rank, size) => RankCall.Gather<int>(rank == size - 1 ? 4 : Unfolded / size, 0));
        yield return ("Scatter count differs at the root, only the root's call folded", (rank, size) => RankCall.Scatter<int>(rank == 0 ? 4 : Unfolded / size, 0));

        // Collectives: the last rank folds where the others expect a signature message, or the reverse.
        yield return ("Reduce where the others call Broadcast", (rank, size) => rank == size - 1 ? RankCall.Reduce<int>(4, root: 0) : RankCall.Broadcast<int>(4, root: 0));
        yield return ("Broadcast where the others call Reduce", (rank, size) => rank == size - 1 ? RankCall.Broadcast<int>(4, root: 0) : RankCall.Reduce<int>(4, root: 0));
        yield return ("Broadcast from the last rank where the others call Reduce to it", (rank, size) => rank == size - 1 ? RankCall.Broadcast<int>(4, root: size - 1) : RankCall.Reduce<int>(4, root: size - 1));
        yield return ("Scatter where the others call Gather", (rank, size) => rank == size - 1 ? RankCall.Scatter<int>(4, 0) : RankCall.Gather<int>(4, 0));
        yield return ("Gather where the others call Broadcast", (rank, size) => rank == size - 1 ? RankCall.Gather<int>(4, 0) : RankCall.Broadcast<int>(4, root: 0));
        yield return ("Broadcast where the others call Allreduce", (rank, size) => rank == size - 1 ? RankCall.Broadcast<int>(4, root: 0) : RankCall.Allreduce<int>(4));
    }

    [TestCaseSource(nameof(Scenarios))]
    public void Every_rank_throws_CollectiveMismatchException_in_the_mismatched_call_itself(TestTransport transport, int size, Func<int, int, RankCall> callOf)
    {
        using var job = new FaultJob(TestJobs.Create(size, new CommunicatorOptions { Timeout = Timeout }, transport), Timeout);

        RankOutcome[] outcomes = job.Run(rank => [callOf(rank, size).Invoke, communicator => communicator.Barrier()]);

        string description = Environment.NewLine + string.Join(Environment.NewLine, outcomes.Select(outcome => outcome.ToString()));
        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), description);
        Assert.That(outcomes.Select(outcome => outcome.FailedCall), Has.All.EqualTo(1), description);
    }
}
