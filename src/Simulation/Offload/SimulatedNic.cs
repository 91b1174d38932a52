using Collectives.Offload.Descriptors;
using Collectives.Offload.Nic;
using Collectives.Simulation.Engine;

namespace Collectives.Simulation.Offload;

/// <summary>
/// One node's offload NIC in virtual time: the offload library's pure <see cref="NicProcessor"/>
/// (the same trigger counters, receive queue, ALU and processing rule the real NIC engine runs)
/// behind a serial work queue that charges each step its latency. Host posts and arrived packets
/// are taken in arrival order; a packet the receive queue cannot take yet waits at the NIC's
/// input (link-level flow control) while later work goes ahead.
/// </summary>
internal sealed class SimulatedNic
{
    private readonly SimulatedOffload _owner;
    private readonly int _node;
    private readonly List<(bool IsPost, Descriptor Descriptor)> _input = [];
    private bool _busy;

    public SimulatedNic(SimulatedOffload owner, int node, int receiveQueueDepth)
    {
        _owner = owner;
        _node = node;
        Processor = new NicProcessor(node, receiveQueueDepth);
    }

    public NicProcessor Processor { get; }

    private SimulationEngine Engine => _owner.Cluster.Engine;

    private OffloadNicOptions Options => _owner.Options;

    /// <summary>The host's descriptor reached the NIC (at the engine's current time).</summary>
    public void Posted(in Descriptor descriptor)
    {
        _input.Add((true, descriptor));
        Start();
    }

    /// <summary>A packet's last byte reached the NIC.</summary>
    public void Arrived(in Descriptor packet)
    {
        _input.Add((false, packet));
        Start();
    }

    /// <summary>Takes the first piece of work the NIC can do, applies it, and stays busy for its latency.</summary>
    private void Start()
    {
        if (_busy)
        {
            return;
        }

        int next = _input.FindIndex(item => item.IsPost || Processor.CanAccept(item.Descriptor));
        if (next < 0)
        {
            return;
        }

        (bool isPost, Descriptor descriptor) = _input[next];
        _input.RemoveAt(next);
        long cost = Options.ProcessingNs;
        if (isPost)
        {
            Processor.Post(descriptor);
        }
        else
        {
            Processor.Deliver(descriptor);

            // Each reduce packet is folded into the register once, element by element.
            if (descriptor.Kind == DescriptorKind.Reduce)
            {
                cost += (long)Math.Round(descriptor.Count * Options.AluNsPerElement);
            }
        }

        long time = Engine.Now + cost;
        while (Processor.TryTakeOutgoing(out Descriptor packet))
        {
            time += Options.EmitNs;
            _owner.Send(_node, packet, time);
        }

        while (Processor.TryTakeCompletion(out Descriptor completion))
        {
            _owner.Complete(_node, completion, time);
        }

        _busy = true;
        Engine.At(time, () =>
        {
            _busy = false;
            Start();
        });
    }
}
