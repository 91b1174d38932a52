using System.Globalization;

namespace Collectives.Tests.Correctness;

/// <summary>
/// One generated AlltoallV test; its <see cref="ToString"/> is the test's name, for example
/// <c>AlltoallV_Pairwise_on_7_ranks_SomeEmpty_counts_async_delivers_every_pairs_block_packed_in_rank_order</c>.
/// </summary>
/// <param name="Algorithm">The forced algorithm.</param>
/// <param name="Ranks">Number of ranks.</param>
/// <param name="Spread">How the per-pair counts are spread: as AllgatherV's per-rank counts, with the sender's and receiver's ranks mixed in.</param>
/// <param name="Api">Blocking or asynchronous API.</param>
public sealed record AlltoallVCase(AlltoallAlgorithm Algorithm, int Ranks, CountSpread Spread, ApiStyle Api)
{
    /// <summary>How many elements rank <paramref name="sender"/> sends each rank (row of the matrix).</summary>
    public int[] SendCounts(int sender) =>
    [
        .. Enumerable.Range(0, Ranks).Select(receiver => Spread switch
        {
            CountSpread.Uneven => ((sender * 37) + (receiver * 11) + 5) % 70 + 1,
            CountSpread.SomeEmpty => (sender + receiver) % 3 == 1 ? 0 : sender + receiver + 1,
            CountSpread.OneRankHasAll => sender == Ranks / 2 ? 300 : 0,
            CountSpread.AllEmpty => 0,
            _ => 1500 + (700 * sender) + (100 * receiver),
        }),
    ];

    /// <summary>How many elements rank <paramref name="receiver"/> receives from each rank (column of the matrix).</summary>
    public int[] ReceiveCounts(int receiver) => [.. Enumerable.Range(0, Ranks).Select(sender => SendCounts(sender)[receiver])];

    /// <summary>The test name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"AlltoallV_{Algorithm}_on_{Ranks}_ranks_{Spread}_counts{(Api == ApiStyle.Async ? "_async" : string.Empty)}_delivers_every_pairs_block_packed_in_rank_order");
}
