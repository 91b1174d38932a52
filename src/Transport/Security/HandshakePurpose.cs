namespace Collectives.Transport.Security;

/// <summary>What a connection is for; part of what the handshake signs, so a key for one cannot be replayed on the other.</summary>
internal enum HandshakePurpose : byte
{
    /// <summary>A rank-to-rank transport connection.</summary>
    Transport = 1,

    /// <summary>A connection to the rendezvous store.</summary>
    Rendezvous = 2,
}
