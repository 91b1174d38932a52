namespace Collectives.Transport;

/// <summary>
/// A rank called <see cref="ITransport.Abort"/>: the job is being torn down. The layer above turns
/// <see cref="Reason"/> back into the failure that caused the abort.
/// </summary>
public sealed class PeerAbortedException : CollectiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="originRank">The rank that aborted.</param>
    /// <param name="reason">The opaque reason it gave.</param>
    public PeerAbortedException(int originRank, ReadOnlyMemory<byte> reason)
        : base($"Rank {originRank} aborted the job.")
    {
        OriginRank = originRank;
        Reason = reason;
    }

    /// <summary>The rank that aborted.</summary>
    public int OriginRank { get; }

    /// <summary>The opaque reason the aborting rank gave.</summary>
    public ReadOnlyMemory<byte> Reason { get; }
}
