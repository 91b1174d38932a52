namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Where the flag protocol (<see cref="SharedMemoryTreeBroadcast"/>) keeps its words in each rank's
/// window: the end of the window, after the two halves the step algorithms use, so a rank that runs
/// ahead into a step call never writes what a slower rank still reads here. Laid out in 64-byte lines:
/// <list type="bullet">
/// <item>the acknowledgement word: the last flag call whose parent's buffer this rank has read;</item>
/// <item>in the same line, the announcement: a version word and the signature of the rank's current
/// call, written as a seqlock at the start of each call, read by ranks that wait long for this one;</item>
/// <item>two records, one per control slot: the signature of the rank's last flag call, written
/// when a step call takes the slot and compared at its first step;</item>
/// <item><see cref="Buffers"/> buffers, used by flag calls in turn: a flag word (the call that
/// filled the buffer), the call's signature and the previous flag call's, then the payload.</item>
/// </list>
/// </summary>
internal readonly struct FlagArea
{
    /// <summary>
    /// Windows of at least this many bytes (the default is 1 MiB) keep <see cref="DeepLength"/> for
    /// <see cref="DeepBuffers"/> buffers: a root then runs up to that many broadcasts ahead of its
    /// readers, who find one flag after another raised instead of sleeping for each (4 ranks on
    /// 2 cores, 8 B: see docs/performance.md). Their halves lose 6% of their bytes at 1 MiB.
    /// </summary>
    private const int DeepWindow = 512 * 1024;

    private const int DeepLength = 64 * 1024;

    private const int DeepBuffers = 8;

    /// <summary>Windows of at least this many bytes keep <see cref="LargeLength"/>, for two buffers.</summary>
    private const int LargeWindow = 64 * 1024;

    private const int LargeLength = 16 * 1024;

    /// <summary>The smallest window is 8 KiB: its halves keep 3 KiB each.</summary>
    private const int SmallLength = 2 * 1024;

    private const int Line = 64;

    private const int HeaderLength = 2 * Line;

    /// <param name="windowLength">Bytes of each window.</param>
    public FlagArea(int windowLength)
    {
        (int length, Buffers) = windowLength >= DeepWindow ? (DeepLength, DeepBuffers)
            : windowLength >= LargeWindow ? (LargeLength, 2)
            : (SmallLength, 2);
        Start = windowLength - length;

        // Whole lines, so every buffer's flag word starts a line of its own.
        BufferStride = (length - HeaderLength) / Buffers / Line * Line;
        PayloadLength = BufferStride - HeaderLength;
    }

    /// <summary>Offset of the area in a window: the bytes before it are the step algorithms'.</summary>
    public int Start { get; }

    /// <summary>How many buffers flag calls use in turn: how many calls a parent may run ahead of its children.</summary>
    public int Buffers { get; }

    /// <summary>Bytes a flag call can carry in one buffer.</summary>
    public int PayloadLength { get; }

    private int BufferStride { get; }

    /// <summary>Offset of the acknowledgement word.</summary>
    public int Acknowledgement => Start;

    /// <summary>Offset of the announcement's version word: odd while the rank writes its signature.</summary>
    public int AnnouncementVersion => Start + 8;

    /// <summary>Offset of the 32-byte signature of the rank's current call, guarded by <see cref="AnnouncementVersion"/>.</summary>
    public int AnnouncedSignature => Start + 16;

    /// <summary>Offset of the 32-byte record read at the first step of calls that use control slot <paramref name="slot"/>.</summary>
    public int Record(int slot) => Start + Line + (slot * 32);

    /// <summary>Offset of buffer <paramref name="buffer"/>'s flag word.</summary>
    public int Flag(int buffer) => Start + HeaderLength + (buffer * BufferStride);

    /// <summary>Offset of the signature of the call that filled buffer <paramref name="buffer"/>.</summary>
    public int Signature(int buffer) => Flag(buffer) + 8;

    /// <summary>Offset of the signature of the flag call before the one that filled buffer <paramref name="buffer"/>.</summary>
    public int PreviousSignature(int buffer) => Flag(buffer) + 40;

    /// <summary>Offset of buffer <paramref name="buffer"/>'s payload.</summary>
    public int Payload(int buffer) => Flag(buffer) + HeaderLength;
}
