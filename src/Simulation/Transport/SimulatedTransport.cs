using Collectives.Reduction;
using Collectives.Simulation.Host;
using Collectives.Transport;

namespace Collectives.Simulation.Transport;

/// <summary>
/// One rank's point-to-point transport in a <see cref="SimulatedCluster"/>: sends cost the host
/// <see cref="HostOptions.SendCost"/>, cross the NIC and the simulated network, and reach the
/// receiver's memory where a receive costs <see cref="HostOptions.ReceiveCost"/>. It also offers
/// <see cref="ICombineObserver"/>, so the algorithms' reduction arithmetic is charged to the host.
/// </summary>
/// <remarks>
/// Virtual time has no real-time timeout: a cancellation token is honoured when an operation
/// starts, and a rank left waiting forever is reported by the cluster as a
/// <see cref="Engine.SimulationStalledException"/> once no event is left.
/// </remarks>
internal sealed class SimulatedTransport : ITransport, ICombineObserver
{
    private readonly SimulatedCluster _cluster;
    private readonly Dictionary<int, SimulatedMailbox> _mailboxes = [];

    public SimulatedTransport(SimulatedCluster cluster, int rank, HostCpu cpu)
    {
        _cluster = cluster;
        Rank = rank;
        Cpu = cpu;
    }

    public int Rank { get; }

    public int Size => _cluster.Size;

    public string Name => "simulated";

    public HostCpu Cpu { get; }

    public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequirePeer(destination, nameof(destination));
        _cluster.ThrowIfAborted();
        long posted = Cpu.Run(_cluster.Engine.Now, _cluster.Host.SendCost(payload.Length));
        byte[] copy = payload.ToArray();
        SimulatedMailbox mailbox = _cluster.Transport(destination).MailboxFrom(Rank);
        long nicReceive = _cluster.Network.Options.NicReceiveNs;
        _cluster.Network.Send(Rank, destination, copy.Length, posted + _cluster.Network.Options.NicSendNs, () => mailbox.Arrive(tag, copy, _cluster.Engine.Now + nicReceive));

        // The payload was copied out (eagerly), so the caller's buffer is free once the CPU has posted it.
        return ValueTask.CompletedTask;
    }

    public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequirePeer(source, nameof(source));
        _cluster.ThrowIfAborted();
        return MailboxFrom(source).Receive(expectedTag, buffer);
    }

    public void Abort(ReadOnlySpan<byte> reason) => _cluster.Abort(Rank, reason.ToArray());

    public TFeature? GetFeature<TFeature>() where TFeature : class => this as TFeature;

    public void OnCombined(ReductionKernel kernel, int elements) => Cpu.Run(_cluster.Engine.Now, _cluster.Host.CombineCost(elements));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal SimulatedMailbox MailboxFrom(int source)
    {
        if (!_mailboxes.TryGetValue(source, out SimulatedMailbox? mailbox))
        {
            mailbox = new SimulatedMailbox(_cluster.Engine, Cpu, _cluster.Host);
            _mailboxes.Add(source, mailbox);
        }

        return mailbox;
    }

    internal void FailPending(Exception failure)
    {
        // A failed receive's continuation runs inline and may touch the mailboxes; work on a copy.
        foreach (SimulatedMailbox mailbox in _mailboxes.Values.ToArray())
        {
            mailbox.Fail(failure);
        }
    }

    private void RequirePeer(int peer, string name)
    {
        if ((uint)peer >= (uint)Size || peer == Rank)
        {
            throw new ArgumentOutOfRangeException(name, peer, $"Rank {Rank} can only exchange messages with another rank in [0, {Size}).");
        }
    }
}
