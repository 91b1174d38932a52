using Collectives.Offload.Descriptors;

namespace Collectives.Offload.Engine;

/// <summary>
/// The NIC's sending end of one peer's link: at most one send outstanding (the transport's rule),
/// later packets waiting in order behind it.
/// </summary>
internal sealed class OutboundChannel(int peer, Action<OutboundChannel> sent) : PeerChannel<OutboundChannel>(peer, sent)
{
    public Queue<Descriptor> Backlog { get; } = new();

    public bool Sending { get; set; }

    public ValueTask Pending { get; set; }
}
