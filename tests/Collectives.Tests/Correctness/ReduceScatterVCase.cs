using System.Globalization;

namespace Collectives.Tests.Correctness;

/// <summary>
/// One generated ReduceScatterV test; its <see cref="ToString"/> is the test's name, for example
/// <c>ReduceScatterV_Ring_on_7_ranks_SomeEmpty_counts_in_place_async_gives_each_rank_its_block_of_the_sequential_sum</c>.
/// </summary>
/// <param name="Algorithm">The forced algorithm.</param>
/// <param name="Ranks">Number of ranks.</param>
/// <param name="Spread">How the counts (of the result blocks) are spread over the ranks.</param>
/// <param name="Placement">In place (one buffer of every block, the result in this rank's) or a separate receive buffer.</param>
/// <param name="Api">Blocking or asynchronous API.</param>
public sealed record ReduceScatterVCase(ReduceScatterAlgorithm Algorithm, int Ranks, CountSpread Spread, Placement Placement, ApiStyle Api)
{
    /// <summary>Every rank's count.</summary>
    public int[] Counts() => Spread.CountsOn(Ranks);

    /// <summary>The test name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ReduceScatterV_{Algorithm}_on_{Ranks}_ranks_{Spread}_counts_{(Placement == Placement.InPlace ? "in_place" : "out_of_place")}{(Api == ApiStyle.Async ? "_async" : string.Empty)}_gives_each_rank_its_block_of_the_sequential_sum");
}
