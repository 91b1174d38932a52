using Collectives.Transport;

namespace Collectives.Offload.Engine;

/// <summary>
/// The transport label of a call's NIC packets: every field of the call, so a packet from a rank
/// that made another call (or a software message) is never taken for one.
/// </summary>
internal static class NicPacketTag
{
    /// <summary>"NIC" in the top bytes of the second word, apart from the software's algorithm tags.</summary>
    private const ulong Marker = 0x4E49_4300_0000_0000UL;

    public static MessageTag For(in OffloadRequest request) => new(
        request.Sequence,
        Marker | (ulong)request.Kind | ((ulong)request.Op << 8) | ((ulong)(request.DataType?.Code ?? 0) << 16),
        (ulong)request.Count,
        (ulong)(uint)request.Root);
}
