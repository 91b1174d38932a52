namespace Collectives.Transport;

/// <summary>A peer rank is gone: its process exited, its connection closed or reset, or it fell silent.</summary>
public sealed class PeerFailedException : CollectiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="rank">The rank that failed.</param>
    /// <param name="reason">How it failed.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public PeerFailedException(int rank, string reason, Exception? innerException = null)
        : base($"Rank {rank} failed: {reason}", innerException)
    {
        Rank = rank;
        Reason = reason;
    }

    /// <summary>The rank that failed.</summary>
    public int Rank { get; }

    /// <summary>How it failed.</summary>
    public string Reason { get; }
}
