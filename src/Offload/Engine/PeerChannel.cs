using Collectives.Offload.Descriptors;

namespace Collectives.Offload.Engine;

/// <summary>
/// What both ends of the NIC's link to one peer have: the peer, a packet buffer, and the cached
/// continuation that hands the channel back to the NIC thread when its transfer finishes.
/// </summary>
/// <typeparam name="TChannel">The channel itself, so the continuation passes it on as what it is.</typeparam>
internal abstract class PeerChannel<TChannel>
    where TChannel : PeerChannel<TChannel>
{
    private readonly Action<TChannel> _finished;

    protected PeerChannel(int peer, Action<TChannel> finished)
    {
        Peer = peer;
        _finished = finished;
        OnCompleted = () => _finished((TChannel)this);
    }

    public int Peer { get; }

    public byte[] Buffer { get; } = new byte[Descriptor.EncodedSize];

    /// <summary>Cached continuation: hands the channel back to the NIC thread.</summary>
    public Action OnCompleted { get; }
}
