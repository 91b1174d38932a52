using System.Globalization;

namespace Collectives.Tests.Correctness;

/// <summary>
/// One generated GatherV or ScatterV test; its <see cref="ToString"/> is the test's name, for example
/// <c>GatherV_Linear_on_7_ranks_root_3_SomeEmpty_counts_in_place_async_moves_every_block_packed_in_rank_order</c>.
/// </summary>
/// <param name="Algorithm">The collective (Gather or Scatter) and its forced algorithm.</param>
/// <param name="Ranks">Number of ranks.</param>
/// <param name="Root">The root rank.</param>
/// <param name="Spread">How the counts are spread over the ranks.</param>
/// <param name="Placement">In place (MPI_IN_PLACE at the root) or separate send and receive buffers.</param>
/// <param name="Api">Blocking or asynchronous API.</param>
public sealed record RootedVCase(CollectiveAlgorithm Algorithm, int Ranks, int Root, CountSpread Spread, Placement Placement, ApiStyle Api)
{
    /// <summary>Every rank's count, as AllgatherV's matrix spreads them.</summary>
    public int[] Counts() => new AllgatherVCase(AllgatherAlgorithm.Auto, Ranks, Spread, Placement, Api).Counts();

    /// <summary>The test name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Algorithm.Kind}V_{(Algorithm.Kind == CollectiveKind.Gather ? Algorithm.Gather.ToString() : Algorithm.Scatter.ToString())}_on_{Ranks}_ranks_root_{Root}_{Spread}_counts_{(Placement == Placement.InPlace ? "in_place" : "out_of_place")}{(Api == ApiStyle.Async ? "_async" : string.Empty)}_moves_every_block_packed_in_rank_order");
}
