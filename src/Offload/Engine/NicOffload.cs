using Collectives.Offload;
using Collectives.Offload.Building;
using Collectives.Transport;

[assembly: OffloadProvider("nic", typeof(Collectives.Offload.Engine.NicOffload))]

namespace Collectives.Offload.Engine;

/// <summary>
/// The simulated offload NIC as a communicator option: <c>new CommunicatorOptions { Offload = new NicOffload() }</c>.
/// Every rank gets a <see cref="NicEngine"/> that runs Reduce, Allreduce, Broadcast and Barrier from
/// triggered descriptors on its own thread, over the rank's transport. Also what
/// <c>collrun --transport nic</c> uses (with these defaults).
/// </summary>
public sealed class NicOffload : IOffloadEngineFactory
{
    /// <summary>Default of <see cref="MaxPayloadBytes"/>: 16 KiB, a chain of 342 descriptors.</summary>
    public const int DefaultMaxPayloadBytes = 16 * 1024;

    /// <summary>
    /// The tree the descriptors follow. Default binomial: the tree of the software Reduce and
    /// Broadcast, so offloaded results have the same bits as software binomial-tree ones.
    /// </summary>
    public TreeShape Shape { get; init; } = TreeShape.Binomial;

    /// <summary>
    /// Largest buffer (bytes per rank) the NIC takes; larger calls run in software, where the
    /// bandwidth-optimal algorithms beat a chain of 48-byte packets. Default <see cref="DefaultMaxPayloadBytes"/>.
    /// </summary>
    public int MaxPayloadBytes { get; init; } = DefaultMaxPayloadBytes;

    /// <summary>Creates the NIC engine of the rank <paramref name="transport"/> belongs to.</summary>
    /// <param name="transport">The rank's transport.</param>
    /// <returns>A <see cref="NicEngine"/>.</returns>
    public IOffloadEngine Create(ITransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxPayloadBytes);
        return new NicEngine(transport, this);
    }
}
