using Collectives.Execution;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Validates and plans a Gather or Scatter: <paramref name="blockLength"/> is one rank's block on
    /// every rank (the signature's count), <paramref name="allLength"/> the root's buffer of every
    /// block, checked on the root only (other ranks' is ignored).
    /// </summary>
    private CollectiveCall PlanRooted<T>(CollectiveKind kind, int blockLength, int allLength, string allName, int root, byte algorithm)
        where T : unmanaged
    {
        RequireRoot(root);
        if (Rank == root)
        {
            if ((long)blockLength * Size != allLength)
            {
                throw new ArgumentException(
                    $"The root's buffer of every block holds {allLength} elements but must hold {Size} blocks (one per rank) of {blockLength}: {(long)blockLength * Size} elements.",
                    allName);
            }

            RequireReceiveFits<T>(allLength, allName);
        }

        return Plan<T>(kind, 0, blockLength, root, algorithm);
    }

    /// <summary>
    /// Validates and plans a GatherV or ScatterV: this rank's block (<paramref name="ownLength"/>)
    /// must be <c>counts[Rank]</c>, the root's buffer of every block (<paramref name="allLength"/>,
    /// ignored elsewhere) their total. The signature carries the total and a digest of the counts.
    /// </summary>
    private CollectiveCall PlanRootedV<T>(CollectiveKind kind, int ownLength, string ownName, int allLength, string allName, ReadOnlySpan<int> counts, int root, byte algorithm)
        where T : unmanaged
    {
        RequireRoot(root);
        int total = BlockOffsets.Total(counts, Size, nameof(counts));
        if (ownLength != counts[Rank])
        {
            throw new ArgumentException($"This rank's block holds {ownLength} elements but counts[{Rank}] is {counts[Rank]}; they must be equal.", ownName);
        }

        if (Rank == root)
        {
            if (allLength != total)
            {
                throw new ArgumentException($"The root's buffer of every block holds {allLength} elements but the counts add up to {total}; they must be equal.", allName);
            }

            RequireReceiveFits<T>(allLength, allName);
        }

        return Plan<T>(kind, 0, total, root, algorithm, _blockOffsets) with { CountsDigest = BlockOffsets.Digest(counts) | 1 };
    }

    /// <summary>Where this rank's block starts among the blocks of <paramref name="counts"/> (which must be valid).</summary>
    private int OwnOffsetOf(ReadOnlySpan<int> counts)
    {
        BlockOffsets.Total(counts, Size, nameof(counts));
        int offset = 0;
        for (int rank = 0; rank < Rank; rank++)
        {
            offset += counts[rank];
        }

        return offset;
    }

    private void RequireRoot(int root)
    {
        if ((uint)root >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"Root must be a rank in [0, {Size}).");
        }
    }
}
