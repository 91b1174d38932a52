using System.Collections.Concurrent;
using Collectives.Tests.Support;

namespace Collectives.Tests.SubCommunicators;

/// <summary>
/// Split and Duplicate give every rank the communicator MPI would: the ranks of its color, ordered
/// by key then by parent rank, numbered from 0; a negative color gets none. Each test proves the
/// membership through the new communicator itself: an Allgather of the parent ranks over it.
/// </summary>
public class SplitTests
{
    private static readonly CommunicatorOptions Options = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Test]
    public void Uneven_colors_and_keys_form_communicators_ordered_by_key([Values] TestTransport transport)
    {
        // Colors 2, 0, 2, 1, 2, 0, 2: groups of 4, 2 and 1; keys that reverse and shuffle the parent's order.
        const int size = 7;
        static int Color(int rank) => new[] { 2, 0, 2, 1, 2, 0, 2 }[rank];
        static int Key(int rank) => new[] { 9, 3, -4, 0, 5, 1, 0 }[rank];

        IDictionary<int, int[]> seen = SplitAndGatherParentRanks(size, Color, Key, transport);

        Assert.That(seen, Is.EquivalentTo(Enumerable.Range(0, size).ToDictionary(rank => rank, rank => SplitReference.Members(size, Color, Key, rank))));
    }

    [Test]
    public void Ranks_with_equal_keys_are_ordered_by_their_parent_rank()
    {
        const int size = 6;
        static int Color(int rank) => rank % 2;
        static int Key(int rank) => rank < 3 ? 1 : 0;

        IDictionary<int, int[]> seen = SplitAndGatherParentRanks(size, Color, Key, TestTransport.InProcess);

        Assert.Multiple(() =>
        {
            Assert.That(seen[0], Is.EqualTo(new[] { 4, 0, 2 }));
            Assert.That(seen[1], Is.EqualTo(new[] { 3, 5, 1 }));
        });
    }

    [Test]
    public void A_negative_color_gets_no_communicator_while_the_others_get_theirs([Values(Communicator.NoColor, -5)] int noColor)
    {
        const int size = 5;
        int Color(int rank) => rank is 1 or 4 ? noColor : 0;
        static int Key(int rank) => rank;

        IDictionary<int, int[]> seen = SplitAndGatherParentRanks(size, Color, Key, TestTransport.InProcess);

        Assert.That(seen, Is.EquivalentTo(new Dictionary<int, int[]> { [0] = [0, 2, 3], [2] = [0, 2, 3], [3] = [0, 2, 3] }));
    }

    [Test]
    public void A_rank_alone_in_its_color_gets_a_communicator_of_one_that_runs_every_collective()
    {
        var results = new ConcurrentDictionary<int, (int Size, int Rank, int Sum, int[] Gathered, int Broadcast)>();

        LocalJob.Run(3, Options, parent =>
        {
            using Communicator child = parent.Split(color: parent.Rank, key: 0)!;
            int[] value = [parent.Rank + 10];
            child.Allreduce(value.AsSpan(), ReduceOp.Sum);
            int[] gathered = new int[1];
            child.Allgather([parent.Rank], gathered.AsSpan());
            int[] broadcast = [parent.Rank];
            child.Broadcast(broadcast.AsSpan(), root: 0);
            child.Barrier();
            results[parent.Rank] = (child.Size, child.Rank, value[0], gathered, broadcast[0]);
        });

        Assert.That(results, Is.EquivalentTo(Enumerable.Range(0, 3).ToDictionary(rank => rank, rank => (1, 0, rank + 10, new[] { rank }, rank))));
    }

    [Test]
    public void A_split_of_a_split_is_ordered_by_its_own_keys([Values] TestTransport transport)
    {
        // First by rank parity (keys reverse the order), then each half by whether its new rank is below 2.
        const int size = 8;
        var seen = new ConcurrentDictionary<int, int[]>();

        LocalJob.Run(size, Options, parent =>
        {
            using Communicator half = parent.Split(parent.Rank % 2, -parent.Rank)!;
            using Communicator quarter = half.Split(half.Rank < 2 ? 0 : 1, key: 0)!;
            seen[parent.Rank] = GatherParentRanks(quarter, parent.Rank);
        }, transport);

        // Halves: even [6, 4, 2, 0] and odd [7, 5, 3, 1]; quarters: their first and last two.
        int[][] quarters = [[6, 4], [2, 0], [7, 5], [3, 1]];
        Assert.That(seen, Is.EquivalentTo(Enumerable.Range(0, size).ToDictionary(rank => rank, rank => quarters.Single(quarter => quarter.Contains(rank)))));
    }

    [Test]
    public void A_duplicate_has_the_parents_ranks_in_the_parents_order([Values] TestTransport transport)
    {
        var seen = new ConcurrentDictionary<int, (int Size, int Rank, int[] Members)>();

        LocalJob.Run(4, Options, parent =>
        {
            using Communicator duplicate = parent.Duplicate();
            seen[parent.Rank] = (duplicate.Size, duplicate.Rank, GatherParentRanks(duplicate, parent.Rank));
        }, transport);

        Assert.That(seen, Is.EquivalentTo(Enumerable.Range(0, 4).ToDictionary(rank => rank, rank => (4, rank, new[] { 0, 1, 2, 3 }))));
    }

    [Test]
    public async Task The_asynchronous_forms_split_and_duplicate_alike()
    {
        var seen = new ConcurrentDictionary<int, (int[] Split, int[] Duplicate, bool OptedOut)>();

        await LocalJob.RunAsync(5, Options, async parent =>
        {
            await using Communicator? child = await parent.SplitAsync(parent.Rank == 2 ? Communicator.NoColor : 0, key: -parent.Rank);
            await using Communicator duplicate = await parent.DuplicateAsync();
            int[] split = child is null ? [] : await GatherParentRanksAsync(child, parent.Rank);
            seen[parent.Rank] = (split, await GatherParentRanksAsync(duplicate, parent.Rank), child is null);
        });

        Assert.That(seen, Is.EquivalentTo(Enumerable.Range(0, 5).ToDictionary(
            rank => rank,
            rank => rank == 2 ? (Array.Empty<int>(), new[] { 0, 1, 2, 3, 4 }, true) : (new[] { 4, 3, 1, 0 }, new[] { 0, 1, 2, 3, 4 }, false))));
    }

    /// <summary>Splits a job and, on each rank that joined a communicator, gathers the parent ranks of its members over it.</summary>
    private static IDictionary<int, int[]> SplitAndGatherParentRanks(int size, Func<int, int> color, Func<int, int> key, TestTransport transport)
    {
        var seen = new ConcurrentDictionary<int, int[]>();
        LocalJob.Run(size, Options, parent =>
        {
            using Communicator? child = parent.Split(color(parent.Rank), key(parent.Rank));
            if (child is not null)
            {
                seen[parent.Rank] = GatherParentRanks(child, parent.Rank);
            }
        }, transport);
        return seen;
    }

    private static int[] GatherParentRanks(Communicator child, int parentRank)
    {
        int[] members = new int[child.Size];
        child.Allgather([parentRank], members.AsSpan());
        return members;
    }

    private static async Task<int[]> GatherParentRanksAsync(Communicator child, int parentRank)
    {
        int[] members = new int[child.Size];
        await child.AllgatherAsync<int>(new[] { parentRank }, members);
        return members;
    }
}
