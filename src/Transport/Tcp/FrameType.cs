namespace Collectives.Transport.Tcp;

/// <summary>What a frame on a rank-to-rank connection carries.</summary>
internal enum FrameType : byte
{
    /// <summary>A message: the tag and the payload of one send.</summary>
    Data = 1,

    /// <summary>Nothing; proves the sender is alive when it has nothing else to say. No payload.</summary>
    Heartbeat = 2,

    /// <summary>The sender aborted the job; the payload is its opaque reason.</summary>
    Abort = 3,

    /// <summary>The sender closed its transport in an orderly way and will send nothing more. No payload.</summary>
    Goodbye = 4,
}
