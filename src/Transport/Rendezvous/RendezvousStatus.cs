namespace Collectives.Transport.Rendezvous;

/// <summary>How the server answered a request (the first byte of a response body).</summary>
internal enum RendezvousStatus : byte
{
    /// <summary>Done; a GET's response carries the value.</summary>
    Ok = 0,

    /// <summary>A SET named a key that already holds a value (keys are write-once); the body carries a message.</summary>
    KeyAlreadySet = 1,

    /// <summary>The request broke the protocol; the body carries the reason and the server closes the connection.</summary>
    BadRequest = 2,
}
