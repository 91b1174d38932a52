namespace Collectives.Transport.Rendezvous;

/// <summary>
/// One decoded request, or the reason a frame could not be decoded (then <see cref="Error"/> is
/// set and the connection is answered with <see cref="RendezvousStatus.BadRequest"/> and closed).
/// </summary>
internal readonly record struct RendezvousRequest(RendezvousOpcode Opcode, string Key, byte[] Value, string? Error)
{
    public static RendezvousRequest Invalid(string reason) => new(default, string.Empty, [], reason);
}
