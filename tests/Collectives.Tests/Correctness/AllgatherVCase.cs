using System.Globalization;

namespace Collectives.Tests.Correctness;

/// <summary>
/// One generated AllgatherV test; its <see cref="ToString"/> is the test's name, for example
/// <c>AllgatherV_Bruck_on_7_ranks_SomeEmpty_counts_in_place_async_delivers_every_block_packed_in_rank_order</c>.
/// </summary>
/// <param name="Algorithm">The forced algorithm.</param>
/// <param name="Ranks">Number of ranks.</param>
/// <param name="Spread">How the counts are spread over the ranks.</param>
/// <param name="Placement">In place (each rank's block already in its buffer) or a separate send buffer.</param>
/// <param name="Api">Blocking or asynchronous API.</param>
public sealed record AllgatherVCase(AllgatherAlgorithm Algorithm, int Ranks, CountSpread Spread, Placement Placement, ApiStyle Api)
{
    /// <summary>Every rank's count.</summary>
    public int[] Counts() => Spread.CountsOn(Ranks);

    /// <summary>The test name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"AllgatherV_{Algorithm}_on_{Ranks}_ranks_{Spread}_counts_{(Placement == Placement.InPlace ? "in_place" : "out_of_place")}{(Api == ApiStyle.Async ? "_async" : string.Empty)}_delivers_every_block_packed_in_rank_order");
}
