namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Splits a chunk of elements into one slice per rank for the reduce-scatter algorithms: as equal
/// as whole 64-byte lines allow, so no two ranks write one cache line.
/// </summary>
internal static class SliceLayout
{
    private const int LineBytes = 64;

    /// <summary>The byte range of rank <paramref name="rank"/>'s slice of a <paramref name="bytes"/>-byte chunk.</summary>
    public static Range Of(int bytes, int elementSize, int rank, int size)
    {
        int unit = Math.Max(1, LineBytes / elementSize) * elementSize;
        int units = (bytes + unit - 1) / unit;
        int start = (int)Math.Min(bytes, (long)units * rank / size * unit);
        int end = (int)Math.Min(bytes, (long)units * (rank + 1) / size * unit);
        return start..end;
    }
}
