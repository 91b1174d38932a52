namespace Collectives.Execution;

/// <summary>
/// The per-rank counts of the current variable-count Allgather or ReduceScatter, as element offsets: block r is
/// elements [<see cref="Elements"/>[r], <see cref="Elements"/>[r + 1]) of the buffer holding every block. One
/// instance per communicator, filled once the call owns the communicator (so a refused overlapping
/// call cannot change the counts of the one in progress), and reused: no allocation per call.
/// </summary>
/// <param name="size">The communicator's size.</param>
internal sealed class BlockOffsets(int size)
{
    private readonly int[] _elements = new int[size + 1];

    /// <summary>Element offsets of blocks 0..p; the last is the total.</summary>
    public int[] Elements => _elements;

    /// <summary>Number of blocks.</summary>
    public int Size => size;

    /// <summary>Takes the counts of the call that now owns the communicator (already checked by <see cref="Total"/>).</summary>
    public void Set(ReadOnlySpan<int> counts)
    {
        for (int rank = 0; rank < size; rank++)
        {
            _elements[rank + 1] = _elements[rank] + counts[rank];
        }
    }

    /// <summary>Checks <paramref name="counts"/> (one per rank, none negative, a total one buffer can hold) and returns their total.</summary>
    public static int Total(ReadOnlySpan<int> counts, int size, string countsName)
    {
        if (counts.Length != size)
        {
            throw new ArgumentException($"The counts hold {counts.Length} entries but there are {size} ranks; give one count per rank.", countsName);
        }

        long total = 0;
        for (int rank = 0; rank < counts.Length; rank++)
        {
            if (counts[rank] < 0)
            {
                throw new ArgumentException($"Rank {rank}'s count is {counts[rank]}; counts cannot be negative.", countsName);
            }

            total += counts[rank];
        }

        return total <= Array.MaxLength
            ? (int)total
            : throw new ArgumentException($"The counts add up to {total} elements, more than one buffer can hold.", countsName);
    }

    /// <summary>
    /// A 31-bit digest of <paramref name="counts"/> (FNV-1a), the same in every process: the call
    /// signature carries it, so ranks that disagree about any rank's count get a mismatch even when
    /// their totals agree.
    /// </summary>
    public static int Digest(ReadOnlySpan<int> counts)
    {
        uint hash = 2166136261;
        foreach (int count in counts)
        {
            for (int shift = 0; shift < 32; shift += 8)
            {
                hash = (hash ^ (byte)(count >> shift)) * 16777619;
            }
        }

        return (int)(hash & int.MaxValue);
    }
}
