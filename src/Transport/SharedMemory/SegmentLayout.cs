namespace Collectives.Transport.SharedMemory;

/// <summary>
/// Where everything lives in a job's shared segment. Words that different ranks write sit on
/// separate 128-byte lines (two cache lines, so the adjacent-line prefetcher does not make them
/// share), and bulk areas start on page boundaries.
/// </summary>
/// <remarks>
/// <code>
/// header      magic, version, size, ring capacity, window length, attached count, run nonce
/// abort line  origin+1 (0 = none), reason ready, reason length; then up to 64 KiB of reason
/// per rank    liveness line (pid, closed, heartbeat, pid namespace), doorbell line (futex word,
///             sleeping), SlotCount slot lines (sequence word + data)
/// rings       one per ordered pair (source, destination): head line, tail line, data
/// windows     one per rank
/// </code>
/// </remarks>
internal sealed class SegmentLayout
{
    public const long Magic = 0x4d48_5343_4c4c_4f43; // "COLLCSHM"
    public const int Version = 1;
    public const int Line = 128;
    public const int SlotCount = 2;
    public const int SlotDataLength = Line - sizeof(long);
    public const int MaximumAbortReason = 64 * 1024;

    private const int Page = 4096;
    private const int RankStride = (2 + SlotCount) * Line;

    // Header fields.
    public const int MagicOffset = 0;
    public const int VersionOffset = 8;
    public const int SizeOffset = 12;
    public const int RingCapacityOffset = 16;
    public const int WindowLengthOffset = 20;
    public const int AttachedOffset = 24;
    public const int RunNonceOffset = 32;
    public const int RunNonceLength = 16;

    // Abort line and reason.
    public const int AbortOriginOffset = Line;
    public const int AbortReadyOffset = Line + 4;
    public const int AbortLengthOffset = Line + 8;
    public const int AbortReasonOffset = 2 * Line;

    // Within a rank's liveness line.
    public const int ProcessIdOffset = 0;
    public const int ClosedOffset = 4;
    public const int HeartbeatOffset = 8;
    public const int PidNamespaceOffset = 16;

    // Within a rank's doorbell line.
    public const int DoorbellOffset = 0;
    public const int SleepingOffset = 4;

    private readonly long _ranksOffset;
    private readonly long _ringsOffset;
    private readonly long _windowsOffset;

    public SegmentLayout(int size, int ringCapacity, int windowLength)
    {
        Size = size;
        RingCapacity = ringCapacity;
        WindowLength = windowLength;
        _ranksOffset = AlignToPage(AbortReasonOffset + MaximumAbortReason);
        _ringsOffset = AlignToPage(_ranksOffset + ((long)size * RankStride));
        RingStride = (2 * Line) + ringCapacity;
        _windowsOffset = AlignToPage(_ringsOffset + ((long)size * size * RingStride));
        TotalLength = _windowsOffset + ((long)size * windowLength);
    }

    public int Size { get; }

    public int RingCapacity { get; }

    public int WindowLength { get; }

    public long RingStride { get; }

    public long TotalLength { get; }

    public long LivenessLine(int rank) => _ranksOffset + ((long)rank * RankStride);

    public long DoorbellLine(int rank) => LivenessLine(rank) + Line;

    public long SlotLine(int rank, int slot) => LivenessLine(rank) + ((2 + slot) * Line);

    /// <summary>The ring <paramref name="source"/> writes and <paramref name="destination"/> reads: head line, then tail line, then data.</summary>
    public long Ring(int source, int destination) => _ringsOffset + ((((long)source * Size) + destination) * RingStride);

    public long Window(int rank) => _windowsOffset + ((long)rank * WindowLength);

    private static long AlignToPage(long offset) => (offset + Page - 1) / Page * Page;
}
