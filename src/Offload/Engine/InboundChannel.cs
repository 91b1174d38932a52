using Collectives.Offload.Descriptors;
using Collectives.Transport;

namespace Collectives.Offload.Engine;

/// <summary>
/// The NIC's receiving end of one peer's link: at most one receive posted at a time, the number of
/// packets still expected from the peer in the current call, and a packet held back (flow control)
/// while the NIC's receive queue cannot take it.
/// </summary>
internal sealed class InboundChannel(int peer, Action<InboundChannel> arrived) : PeerChannel<InboundChannel>(peer, arrived)
{
    /// <summary>Packets of the current call not yet received from the peer.</summary>
    public int Remaining { get; set; }

    public bool Receiving { get; set; }

    public bool HasHeld { get; set; }

    public Descriptor Held;

    public ValueTask<ReceivedMessage> Pending { get; set; }
}
