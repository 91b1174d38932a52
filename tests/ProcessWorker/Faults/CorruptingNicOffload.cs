using Collectives.Offload;
using Collectives.Offload.Engine;
using Collectives.Transport;

namespace Collectives.ProcessWorker.Faults;

/// <summary>
/// The offload NIC of <c>--transport nic</c>, except that rank <paramref name="corruptor"/>'s NIC
/// sends its packets through a <see cref="CorruptingTransport"/>: once armed, every descriptor it
/// sends has an undefined kind, so the peers' NICs receive malformed descriptors.
/// </summary>
/// <param name="corruptor">The rank whose NIC sends malformed descriptors.</param>
internal sealed class CorruptingNicOffload(int corruptor) : IOffloadEngineFactory
{
    private readonly NicOffload _nic = new();

    public IOffloadEngine Create(ITransport transport) => _nic.Create(transport.Rank == corruptor ? new CorruptingTransport(transport) : transport);
}
