namespace Collectives.Tests.Support;

/// <summary>
/// Sequential reference results of the collectives that only move blocks: plain element loops
/// written from the contracts (MPI_Gather, MPI_Scatter and their v forms, blocks packed in rank
/// order), independent of the library's layouts and offsets.
/// </summary>
internal static class BlockReference
{
    /// <summary>What a gather's root holds afterwards: every rank's block, in rank order.</summary>
    public static T[] Gather<T>(IReadOnlyList<T[]> blocks)
    {
        var result = new List<T>();
        for (int rank = 0; rank < blocks.Count; rank++)
        {
            for (int i = 0; i < blocks[rank].Length; i++)
            {
                result.Add(blocks[rank][i]);
            }
        }

        return [.. result];
    }

    /// <summary>What rank <paramref name="rank"/> holds after a scatter of <paramref name="rootData"/> in blocks of <paramref name="counts"/>.</summary>
    public static T[] Scatter<T>(T[] rootData, IReadOnlyList<int> counts, int rank)
    {
        int start = 0;
        for (int before = 0; before < rank; before++)
        {
            start += counts[before];
        }

        var block = new T[counts[rank]];
        for (int i = 0; i < block.Length; i++)
        {
            block[i] = rootData[start + i];
        }

        return block;
    }

    /// <summary>
    /// What rank <paramref name="rank"/> holds after an alltoall: block i is rank i's block for it,
    /// where rank i's send buffer holds its blocks for ranks 0..p-1 of <paramref name="sendCounts"/>[i] packed in order.
    /// </summary>
    public static T[] Alltoall<T>(IReadOnlyList<T[]> sends, IReadOnlyList<int[]> sendCounts, int rank)
    {
        var result = new List<T>();
        for (int source = 0; source < sends.Count; source++)
        {
            result.AddRange(Scatter(sends[source], sendCounts[source], rank));
        }

        return [.. result];
    }
}
