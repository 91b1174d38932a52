namespace Collectives.SubCommunicators;

/// <summary>
/// Who forms a rank's new communicator in a split, from every rank's (color, key) as the parent
/// gathered them: the ranks of its color, ordered by key, ties by their rank in the parent (MPI_Comm_split).
/// </summary>
internal static class SplitLayout
{
    /// <summary>Number of ints each rank contributes to the split's gather: its color and its key.</summary>
    public const int IntsPerRank = 2;

    /// <summary>
    /// The parent's ranks that share <paramref name="rank"/>'s color, in their order in the new
    /// communicator; null when <paramref name="rank"/>'s color is negative (it joins none).
    /// </summary>
    /// <param name="colorsAndKeys">Rank r's color at <c>2r</c>, its key at <c>2r + 1</c>, for every rank of the parent.</param>
    /// <param name="rank">The rank whose communicator is wanted, in the parent.</param>
    public static int[]? MembersOf(ReadOnlySpan<int> colorsAndKeys, int rank)
    {
        int color = colorsAndKeys[rank * IntsPerRank];
        if (color < 0)
        {
            return null;
        }

        var members = new List<(int Key, int Rank)>();
        for (int other = 0; other < colorsAndKeys.Length / IntsPerRank; other++)
        {
            if (colorsAndKeys[other * IntsPerRank] == color)
            {
                members.Add((colorsAndKeys[(other * IntsPerRank) + 1], other));
            }
        }

        // Tuples compare by key, then by parent rank: MPI's tie rule.
        members.Sort();
        return [.. members.Select(member => member.Rank)];
    }
}
