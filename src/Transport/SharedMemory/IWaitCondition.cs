namespace Collectives.Transport.SharedMemory;

/// <summary>What a rank waits for in shared memory (a struct, so waiting allocates nothing).</summary>
internal interface IWaitCondition
{
    /// <summary>Whether the wait is over; called often, so cheap.</summary>
    bool IsMet(SegmentAttachment attachment);

    /// <summary>Throws <see cref="PeerFailedException"/> if a rank this wait depends on is gone.</summary>
    void CheckPeers(SegmentAttachment attachment);

    /// <summary>A rank the wait still depends on, for the timeout message.</summary>
    int Laggard(SegmentAttachment attachment);
}
