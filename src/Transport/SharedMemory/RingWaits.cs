namespace Collectives.Transport.SharedMemory;

/// <summary>Waits for at least <see cref="Bytes"/> readable bytes in the ring from <see cref="Source"/>, pushing this rank's pending sends meanwhile.</summary>
internal readonly struct RingReadable(SharedMemoryTransport transport, ByteRing ring, int source, int bytes) : IWaitCondition
{
    public int Source => source;

    public int Bytes => bytes;

    public bool IsMet(SegmentAttachment attachment)
    {
        transport.ProgressSends();
        return ring.Available >= bytes;
    }

    public void CheckPeers(SegmentAttachment attachment)
    {
        if (ring.Available < bytes)
        {
            attachment.CheckPeer(source);
        }
    }

    public int Laggard(SegmentAttachment attachment) => source;
}

/// <summary>Waits until a pending send has written all of its message into its ring.</summary>
internal readonly struct SendWritten(PendingSend send) : IWaitCondition
{
    public bool IsMet(SegmentAttachment attachment) => send.TryAdvance();

    public void CheckPeers(SegmentAttachment attachment) => attachment.CheckPeer(send.Destination);

    public int Laggard(SegmentAttachment attachment) => send.Destination;
}

/// <summary>Waits until every rank's slot shows at least a sequence number.</summary>
internal unsafe struct AllPublished(int slot, long sequence) : IWaitCondition
{
    private int _next;

    public bool IsMet(SegmentAttachment attachment)
    {
        // Ranks already seen stay seen (sequences only grow), so each wait scans each rank once.
        while (_next < attachment.Size)
        {
            if (Volatile.Read(ref *attachment.SlotSequence(_next, slot)) < sequence)
            {
                return false;
            }

            _next++;
        }

        return true;
    }

    public readonly void CheckPeers(SegmentAttachment attachment)
    {
        for (int rank = _next; rank < attachment.Size; rank++)
        {
            if (Volatile.Read(ref *attachment.SlotSequence(rank, slot)) < sequence)
            {
                attachment.CheckPeer(rank);
            }
        }
    }

    public readonly int Laggard(SegmentAttachment attachment) => _next;
}

/// <summary>Waits until one rank's word shows at least a value.</summary>
internal readonly unsafe struct WordReached(long* word, int rank, long value) : IWaitCondition
{
    public bool IsMet(SegmentAttachment attachment) => Volatile.Read(ref *word) >= value;

    public void CheckPeers(SegmentAttachment attachment)
    {
        if (!IsMet(attachment))
        {
            attachment.CheckPeer(rank);
        }
    }

    public int Laggard(SegmentAttachment attachment) => rank;
}
