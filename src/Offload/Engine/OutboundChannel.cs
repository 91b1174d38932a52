using Collectives.Offload.Descriptors;

namespace Collectives.Offload.Engine;

/// <summary>
/// The NIC's sending end of one peer's link: at most one send outstanding (the transport's rule),
/// later packets waiting in order behind it.
/// </summary>
internal sealed class OutboundChannel
{
    private readonly Action<OutboundChannel> _sent;

    public OutboundChannel(int peer, Action<OutboundChannel> sent)
    {
        Peer = peer;
        _sent = sent;
        OnCompleted = () => _sent(this);
    }

    public int Peer { get; }

    public byte[] Buffer { get; } = new byte[Descriptor.EncodedSize];

    public Queue<Descriptor> Backlog { get; } = new();

    public bool Sending { get; set; }

    public ValueTask Pending { get; set; }

    /// <summary>Cached continuation: hands the channel back to the NIC thread.</summary>
    public Action OnCompleted { get; }
}
