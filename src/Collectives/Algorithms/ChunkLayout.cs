namespace Collectives.Algorithms;

/// <summary>
/// A buffer's elements cut into <c>count</c> chunks as evenly as whole elements allow: chunk c holds
/// elements [n c / count, n (c + 1) / count), so sizes differ by at most one element and a chunk
/// may be empty when there are fewer elements than chunks. Every rank computes the same layout,
/// so sender and receiver agree on every chunk's length without telling each other.
/// </summary>
internal readonly struct ChunkLayout(int bytes, int elementSize, int count)
{
    private readonly long _elements = bytes / elementSize;

    /// <summary>The bytes of chunks [<paramref name="first"/>, <paramref name="first"/> + <paramref name="chunks"/>).</summary>
    public Range Of(int first, int chunks = 1)
    {
        int start = (int)(_elements * first / count) * elementSize;
        int end = (int)(_elements * (first + chunks) / count) * elementSize;
        return start..end;
    }

    /// <summary>The bytes of the chunks in <paramref name="chunks"/>.</summary>
    public Range Of(Range chunks) => Of(chunks.Start.Value, chunks.End.Value - chunks.Start.Value);

    /// <summary>The size in bytes of the largest chunk.</summary>
    public int LargestChunkBytes => (int)((_elements + count - 1) / count) * elementSize;
}
