namespace Collectives.Transport.SharedMemory;

/// <summary>The first words of a segment: what it is and how it is laid out, so a rank with other settings is refused.</summary>
internal static unsafe class SegmentHeader
{
    public static void Write(SharedMemorySegment segment, SegmentLayout layout)
    {
        byte* header = segment.Base;
        *(int*)(header + SegmentLayout.VersionOffset) = SegmentLayout.Version;
        *(int*)(header + SegmentLayout.SizeOffset) = layout.Size;
        *(int*)(header + SegmentLayout.RingCapacityOffset) = layout.RingCapacity;
        *(int*)(header + SegmentLayout.WindowLengthOffset) = layout.WindowLength;
        Volatile.Write(ref *(long*)(header + SegmentLayout.MagicOffset), SegmentLayout.Magic);
    }

    public static void Check(SharedMemorySegment segment, SegmentLayout layout)
    {
        byte* header = segment.Base;
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
