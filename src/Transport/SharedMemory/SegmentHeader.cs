namespace Collectives.Transport.SharedMemory;

/// <summary>
/// The first words of a segment: what it is and how it is laid out, so a rank with other settings
/// is refused, and the creator's random run nonce (published with the segment), so a rank never
/// joins a segment that another run of a job with the same id and secret created under the same name.
/// </summary>
internal static unsafe class SegmentHeader
{
    public static void Write(SharedMemorySegment segment, SegmentLayout layout, ReadOnlySpan<byte> runNonce)
    {
        byte* header = segment.Base;
        runNonce.CopyTo(new Span<byte>(header + SegmentLayout.RunNonceOffset, SegmentLayout.RunNonceLength));
        *(int*)(header + SegmentLayout.VersionOffset) = SegmentLayout.Version;
        *(int*)(header + SegmentLayout.SizeOffset) = layout.Size;
        *(int*)(header + SegmentLayout.RingCapacityOffset) = layout.RingCapacity;
        *(int*)(header + SegmentLayout.WindowLengthOffset) = layout.WindowLength;
        Volatile.Write(ref *(long*)(header + SegmentLayout.MagicOffset), SegmentLayout.Magic);
    }

    public static void Check(SharedMemorySegment segment, SegmentLayout layout, ReadOnlySpan<byte> runNonce)
    {
        byte* header = segment.Base;
        if (!runNonce.SequenceEqual(new ReadOnlySpan<byte>(header + SegmentLayout.RunNonceOffset, SegmentLayout.RunNonceLength)))
        {
            throw new ProtocolException($"Shared-memory segment {segment.Name} is not the one rank 0 published: another run of a job with the same id and secret replaced it.");
        }

        if (Volatile.Read(ref *(long*)(header + SegmentLayout.MagicOffset)) != SegmentLayout.Magic
            || *(int*)(header + SegmentLayout.VersionOffset) != SegmentLayout.Version
            || *(int*)(header + SegmentLayout.SizeOffset) != layout.Size
            || *(int*)(header + SegmentLayout.RingCapacityOffset) != layout.RingCapacity
            || *(int*)(header + SegmentLayout.WindowLengthOffset) != layout.WindowLength)
        {
            throw new ProtocolException($"Shared-memory segment {segment.Name} was laid out for another job size or other settings than this rank's ({layout.Size} ranks, {layout.RingCapacity}-byte rings, {layout.WindowLength}-byte windows).");
        }
    }
}
