namespace Collectives.Algorithms;

/// <summary>
/// Moves blocks between rank order and the order relative to a rank (place i holds block
/// first + i mod p), the order in which Bruck's algorithms and the binomial gather and scatter hold
/// them, and copies a block to where it belongs unless it is already there (the in-place forms).
/// </summary>
internal static class RotatedBlocks
{
    /// <summary>Copies <paramref name="rotated"/> (place 0 holding block <paramref name="first"/>) into <paramref name="destination"/> in rank order.</summary>
    public static void ToRankOrder(BlockLayout blocks, int first, ReadOnlySpan<byte> rotated, Span<byte> destination)
    {
        // Places [0, p - first) hold blocks first..p-1; the rest hold blocks 0..first-1.
        int start = blocks.Start(first);
        int tail = blocks.TotalBytes - start;
        rotated[..tail].CopyTo(destination[start..]);
        rotated[tail..blocks.TotalBytes].CopyTo(destination[..start]);
    }

    /// <summary>Copies <paramref name="source"/> (in rank order) into <paramref name="rotated"/>, place 0 holding block <paramref name="first"/>.</summary>
    public static void FromRankOrder(BlockLayout blocks, int first, ReadOnlySpan<byte> source, Span<byte> rotated)
    {
        int start = blocks.Start(first);
        int tail = blocks.TotalBytes - start;
        source[start..blocks.TotalBytes].CopyTo(rotated);
        source[..start].CopyTo(rotated[tail..]);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> unless they are the same memory; overlapping elsewhere, as memmove.</summary>
    public static void CopyUnlessSame(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!source.Overlaps(destination, out int offset) || offset != 0)
        {
            source.CopyTo(destination);
        }
    }
}
