namespace Collectives.Algorithms;

/// <summary>
/// Where each rank's block lies in an allgather buffer: p blocks laid end to end in rank order,
/// either all of one size (Allgather) or of per-rank sizes (AllgatherV, from element offsets).
/// Every rank builds the same layout from the call, so sender and receiver agree on every
/// message's length without telling each other.
/// </summary>
internal readonly struct BlockLayout
{
    private readonly int _blockBytes;
    private readonly int[]? _offsets;
    private readonly int _elementSize;

    private BlockLayout(int size, int blockBytes, int[]? offsets, int elementSize)
    {
        Size = size;
        _blockBytes = blockBytes;
        _offsets = offsets;
        _elementSize = elementSize;
    }

    /// <summary>Number of blocks: the communicator's size.</summary>
    public int Size { get; }

    /// <summary>Bytes of all blocks together.</summary>
    public int TotalBytes => Start(Size);

    /// <summary>Bytes of the largest block.</summary>
    public int LargestBlockBytes
    {
        get
        {
            int largest = 0;
            for (int rank = 0; rank < Size; rank++)
            {
                largest = Math.Max(largest, Start(rank + 1) - Start(rank));
            }

            return largest;
        }
    }

    /// <summary><paramref name="size"/> blocks of <paramref name="blockBytes"/> bytes each.</summary>
    public static BlockLayout Equal(int blockBytes, int size) => new(size, blockBytes, null, 0);

    /// <summary>Blocks whose element offsets are <paramref name="offsets"/> (block r is elements [offsets[r], offsets[r + 1])).</summary>
    public static BlockLayout Variable(int[] offsets, int elementSize) => new(offsets.Length - 1, 0, offsets, elementSize);

    /// <summary>The bytes of blocks [<paramref name="first"/>, <paramref name="first"/> + <paramref name="blocks"/>), which must end by block p.</summary>
    public Range Of(int first, int blocks = 1) => Start(first)..Start(first + blocks);

    /// <summary>
    /// Bytes of <paramref name="blocks"/> blocks starting at block <paramref name="first"/> (mod p)
    /// and wrapping from block p-1 to block 0: the rotated order in which Bruck's algorithm holds them.
    /// </summary>
    public int WrappedBytes(int first, int blocks)
    {
        first %= Size;
        return first + blocks <= Size
            ? Start(first + blocks) - Start(first)
            : TotalBytes - Start(first) + Start(first + blocks - Size);
    }

    /// <summary>The byte offset at which block <paramref name="rank"/> starts.</summary>
    public int Start(int rank) => _offsets is null ? rank * _blockBytes : _offsets[rank] * _elementSize;
}
