namespace Collectives.Execution;

/// <summary>
/// Where one call's <see cref="CallVerification.SignatureExchange"/> stands with each peer: what
/// this rank still owes the peer (a signature message, or nothing when its first data message to
/// the peer carries the signature: folded), and what is still ahead in the peer's stream (its
/// signature message, or its first data message, which proves the signature as well). One per
/// context, reused for every call: no allocation per call.
/// </summary>
/// <remarks>
/// A fold is declared on both sides from the same call (<see cref="Algorithms.SignatureFolds"/>):
/// the sender's first message to the peer is then the data, and the receiver reads it in place of
/// the signature message. Either way the first message of every stream goes out at the start of
/// the call and its tag carries the sender's whole signature, so ranks that disagree about the
/// call (and so, perhaps, about the fold) still read and reject each other's first message.
/// </remarks>
internal sealed class PeerSignatures(int size)
{
    private readonly bool[] _folded = new bool[size];
    private readonly SignatureAhead[] _ahead = new SignatureAhead[size];

    /// <summary>Whether a call's exchange is under way (between <see cref="Start"/> and <see cref="Stop"/>).</summary>
    public bool Active { get; private set; }

    /// <summary>Whether the signature messages wait until the rank's folded data has gone: it may not receive meanwhile.</summary>
    public bool Deferred { get; set; }

    /// <summary>Starts a call's exchange: a signature message owed to and expected from every peer but <paramref name="rank"/>.</summary>
    public void Start(int rank)
    {
        Array.Clear(_folded);
        Array.Fill(_ahead, SignatureAhead.Message);
        _ahead[rank] = SignatureAhead.Nothing;
        Deferred = false;
        Active = true;
    }

    /// <summary>Ends the exchange; a failed call may leave entries behind, which must never make a later call expect a message.</summary>
    public void Stop()
    {
        if (Active)
        {
            Array.Clear(_ahead);
            Deferred = false;
            Active = false;
        }
    }

    /// <summary>This rank's first message to <paramref name="peer"/> is data sent before anything else, and carries the signature.</summary>
    public void FoldInto(int peer) => _folded[peer] = true;

    /// <summary><paramref name="peer"/>'s first message to this rank is data sent before anything else, and carries its signature.</summary>
    public void FoldFrom(int peer) => _ahead[peer] = SignatureAhead.InData;

    /// <summary>Whether this rank sends <paramref name="peer"/> a signature message of its own.</summary>
    public bool OwesMessage(int peer) => !_folded[peer];

    /// <summary>What of <paramref name="peer"/>'s signature is ahead in its stream, which the caller now reads.</summary>
    public SignatureAhead Take(int peer)
    {
        SignatureAhead ahead = _ahead[peer];
        _ahead[peer] = SignatureAhead.Nothing;
        return ahead;
    }
}
