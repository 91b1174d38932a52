using System.Globalization;
using System.Text;

namespace Collectives.Tests.Correctness;

/// <summary>
/// One generated correctness test: one collective call, with every parameter fixed. Its
/// <see cref="ToString"/> is the test's name and reads as the specification it checks, for example
/// <c>Allreduce_Ring_Sum_float_on_7_ranks_1000_elements_out_of_place_with_256B_segments_matches_sequential_sum</c>.
/// </summary>
/// <param name="Algorithm">The collective and its (forced) algorithm.</param>
/// <param name="Element">The primitive element type.</param>
/// <param name="Op">
/// The reduction. MinLoc and MaxLoc make the elements <see cref="ValueIndex{TValue}"/> of
/// <paramref name="Element"/>. A broadcast reduces nothing; there the op only says which of the two
/// element shapes to broadcast.
/// </param>
/// <param name="Ranks">Number of ranks.</param>
/// <param name="Count">Number of elements per rank (for Allgather, ReduceScatter, Gather, Scatter and Alltoall, of each rank's block, or block per pair).</param>
/// <param name="Root">The root rank of Reduce, Broadcast, Gather and Scatter; -1 for the others.</param>
/// <param name="Placement">In place or out of place (Reduce, Allreduce, Allgather, ReduceScatter, Gather, Scatter and Alltoall; a broadcast is always in place).</param>
/// <param name="Api">Blocking or asynchronous API.</param>
/// <param name="SegmentSize">The communicator's <see cref="CommunicatorOptions.SegmentSize"/> in bytes.</param>
public sealed record CollectiveCase(
    CollectiveAlgorithm Algorithm,
    ElementPrimitive Element,
    ReduceOp Op,
    int Ranks,
    int Count,
    int Root,
    Placement Placement,
    ApiStyle Api,
    int SegmentSize)
{
    /// <summary>The collective.</summary>
    public CollectiveKind Kind => Algorithm.Kind;

    /// <summary>Elements of each rank's contribution: a ReduceScatter's holds one block of <see cref="Count"/> per rank.</summary>
    public int InputLength => Kind == CollectiveKind.ReduceScatter ? Count * Ranks : Count;

    /// <summary>Whether the elements are <see cref="ValueIndex{TValue}"/> pairs rather than primitives.</summary>
    public bool UsesValueIndex => Op is ReduceOp.MinLoc or ReduceOp.MaxLoc;

    /// <summary>The test name.</summary>
    /// <returns>The name.</returns>
    public override string ToString()
    {
        var name = new StringBuilder();
        name.Append(Algorithm.ToString());
        if (Algorithm.Reduces)
        {
            name.Append('_').Append(Op);
        }

        name.Append('_').Append(UsesValueIndex ? $"ValueIndex_of_{Element.Keyword()}" : Element.Keyword());
        name.Append(CultureInfo.InvariantCulture, $"_on_{Plural(Ranks, "rank")}");
        if (Algorithm.IsRooted)
        {
            name.Append(CultureInfo.InvariantCulture, $"_root_{Root}");
        }

        name.Append(CultureInfo.InvariantCulture, $"_{Plural(Count, "element")}");
        if (Algorithm.HasBlocks)
        {
            name.Append("_each");
        }

        if (Algorithm.HasPlacements)
        {
            name.Append(Placement == Placement.InPlace ? "_in_place" : "_out_of_place");
        }

        if (Api == ApiStyle.Async)
        {
            name.Append("_async");
        }

        name.Append("_with_").Append(Bytes(SegmentSize)).Append("_segments");
        name.Append(Kind switch
        {
            CollectiveKind.Allgather => "_delivers_every_ranks_block_in_rank_order",
            CollectiveKind.Gather => "_delivers_every_ranks_block_to_the_root_in_rank_order",
            CollectiveKind.Scatter => "_delivers_each_rank_its_block_of_the_root_data",
            CollectiveKind.Alltoall => "_delivers_each_ranks_block_for_every_rank_in_rank_order",
            _ when Algorithm.Reduces => $"_matches_sequential_{SnakeCase(Op.ToString())}",
            _ => "_delivers_root_data_to_every_rank",
        });
        return name.ToString();
    }

    private static string Plural(int count, string noun)
        => string.Create(CultureInfo.InvariantCulture, $"{count}_{noun}{(count == 1 ? string.Empty : "s")}");

    private static string Bytes(int bytes) => bytes % 1024 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024}KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes}B");

    /// <summary><c>LogicalAnd</c> becomes <c>logical_and</c>.</summary>
    private static string SnakeCase(string pascal)
    {
        var snake = new StringBuilder();
        foreach (char c in pascal)
        {
            if (char.IsUpper(c) && snake.Length > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        return snake.ToString();
    }
}
