namespace Collectives.Transport.SharedMemory;

/// <summary>Waits for at least <see cref="Bytes"/> readable bytes in the ring from <see cref="Source"/>, pushing this rank's pending sends meanwhile.</summary>
internal readonly struct RingReadable(SharedMemoryTransport transport, ByteRing ring, int source, int bytes) : IWaitCondition
{
    public int Source => source;

    public int Bytes => bytes;

    public bool IsMet(SharedMemoryJob job)
    {
        transport.ProgressSends();
        return ring.Available >= bytes;
    }

    public void CheckPeers(SharedMemoryJob job)
    {
        if (ring.Available < bytes)
        {
            job.CheckPeer(source);
        }
    }

    public int Laggard(SharedMemoryJob job) => source;
}

/// <summary>Waits until a pending send has written all of its message into its ring.</summary>
internal readonly struct SendWritten(PendingSend send) : IWaitCondition
{
    public bool IsMet(SharedMemoryJob job) => send.TryAdvance();

    public void CheckPeers(SharedMemoryJob job) => job.CheckPeer(send.Destination);

    public int Laggard(SharedMemoryJob job) => send.Destination;
}

/// <summary>Waits until every rank's slot shows at least a sequence number.</summary>
internal unsafe struct AllPublished(int slot, long sequence) : IWaitCondition
{
    private int _next;

    public bool IsMet(SharedMemoryJob job)
    {
        // Ranks already seen stay seen (sequences only grow), so each wait scans each rank once.
        while (_next < job.Size)
        {
            if (Volatile.Read(ref *job.SlotSequence(_next, slot)) < sequence)
            {
                return false;
            }

            _next++;
        }

        return true;
    }

    public readonly void CheckPeers(SharedMemoryJob job)
    {
        for (int rank = _next; rank < job.Size; rank++)
        {
            if (Volatile.Read(ref *job.SlotSequence(rank, slot)) < sequence)
            {
                job.CheckPeer(rank);
            }
        }
    }

    public readonly int Laggard(SharedMemoryJob job) => _next;
}
