namespace Collectives.Transport.Rendezvous;

/// <summary>What a rendezvous request asks for (the first byte of its body).</summary>
internal enum RendezvousOpcode : byte
{
    /// <summary>Store a value under a key that has none yet.</summary>
    Set = 1,

    /// <summary>Return the value under a key, waiting until it exists.</summary>
    Get = 2,
}
