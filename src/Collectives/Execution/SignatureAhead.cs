namespace Collectives.Execution;

/// <summary>What of a peer's signature is still ahead in its stream (<see cref="PeerSignatures"/>).</summary>
internal enum SignatureAhead : byte
{
    /// <summary>Nothing: read already, or no exchange (or the rank itself).</summary>
    Nothing = 0,

    /// <summary>A signature message of its own, before the peer's first data.</summary>
    Message = 1,

    /// <summary>The peer's first data message, whose tag carries the signature.</summary>
    InData = 2,
}
