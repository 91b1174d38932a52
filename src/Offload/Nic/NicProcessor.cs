using Collectives.Offload.Descriptors;

namespace Collectives.Offload.Nic;

/// <summary>
/// The processing core of one simulated NIC: trigger counters per virtual port, a bounded receive
/// queue, the ALU, the paper's processing rule, the request-send output and the completion writes.
/// Pure and single-threaded: it has no clock, thread or transport. A driver feeds it host posts
/// (<see cref="Post"/>) and arrived packets (<see cref="Deliver"/>) and drains what it emits
/// (<see cref="TryTakeOutgoing"/>, <see cref="TryTakeCompletion"/>); the same core runs over a real
/// transport (<c>NicEngine</c>) and in virtual time (the network simulator).
/// </summary>
/// <remarks>
/// <para>Trigger rule: a descriptor waits until its node's counter on its port <see cref="Descriptor.Cp"/>
/// is at least <see cref="Descriptor.CpCnt"/>; descriptors on one port fire in post order.</para>
/// <para>Processing rule (the paper's, in a fixed order): a reduce descriptor fires once its port's
/// lane holds CPCnt packets; its own data goes into the register first and the queued packets are
/// combined into it in slot order, so the bits equal the software tree's. A broadcast or put
/// descriptor takes the port's result: the root's reduce result sent to itself, or the packets in
/// the lane (for a broadcast, the parent's one packet), and its data field is replaced by it.</para>
/// <para>Receive queue: every port has a lane of up to <see cref="ReceiveQueueDepth"/> slots and all
/// lanes together hold at most <see cref="ReceiveQueueDepth"/> packets. A packet is accepted only
/// when a descriptor of its call is posted on its port and, unless it is for the oldest port that
/// waits, when the queue keeps room for what that port still needs: so a chain of ports can never
/// deadlock the queue. A driver asks <see cref="CanAccept"/> and holds a packet back (the link's
/// flow control) until it is true; delivering it anyway is an overflow error, never a drop.</para>
/// </remarks>
internal sealed class NicProcessor
{
    /// <summary>Default receive-queue depth: the largest fan-in the builder produces.</summary>
    public const int DefaultReceiveQueueDepth = 8;

    private readonly Dictionary<ushort, VirtualPort> _ports = [];
    private readonly Queue<Descriptor> _outgoing = new();
    private readonly Queue<Descriptor> _completions = new();

    /// <summary>Creates the NIC of <paramref name="node"/>.</summary>
    /// <param name="node">The physical node this NIC sits in; descriptors must name it as source.</param>
    /// <param name="receiveQueueDepth">Packets the receive queue holds, at least 1.</param>
    public NicProcessor(int node, int receiveQueueDepth = DefaultReceiveQueueDepth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfLessThan(receiveQueueDepth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(receiveQueueDepth, byte.MaxValue);
        Node = node;
        ReceiveQueueDepth = receiveQueueDepth;
    }

    /// <summary>The node this NIC sits in.</summary>
    public int Node { get; }

    /// <summary>Most packets the receive queue holds at once.</summary>
    public int ReceiveQueueDepth { get; }

    /// <summary>Packets in the receive queue now, all lanes together.</summary>
    public int QueuedPackets { get; private set; }

    /// <summary>The most packets one port's lane has held at once; never above <see cref="ReceiveQueueDepth"/>.</summary>
    public int LongestLane { get; private set; }

    /// <summary>Descriptors posted since the NIC was created.</summary>
    public long PostedCount { get; private set; }

    /// <summary>Descriptors fired since the NIC was created; equal to <see cref="PostedCount"/> when the NIC is idle.</summary>
    public long FiredCount { get; private set; }

    /// <summary>The trigger counter of <paramref name="port"/> for the call it serves (0 when idle).</summary>
    /// <param name="port">A virtual port.</param>
    /// <returns>Packets counted on it.</returns>
    public int Counter(ushort port) => _ports.TryGetValue(port, out VirtualPort? state) ? state.Counter : 0;

    /// <summary>Submits a host descriptor; it fires at once if its threshold is already reached.</summary>
    /// <param name="descriptor">A descriptor whose source is this node.</param>
    /// <exception cref="DescriptorFormatException">The descriptor is malformed.</exception>
    /// <exception cref="NicException">It names another source node, or waits for more packets than the queue holds.</exception>
    public void Post(in Descriptor descriptor)
    {
        descriptor.ThrowIfInvalid();
        if (descriptor.Source != Node)
        {
            throw new NicException(Node, NicFault.WrongNode, $"descriptor posted here names node {descriptor.Source} as its source: {descriptor}.");
        }

        if (descriptor.Kind == DescriptorKind.Reduce && descriptor.CpCnt > ReceiveQueueDepth)
        {
            throw new NicException(Node, NicFault.BranchExceedsQueueDepth, $"a reduce descriptor waits for {descriptor.CpCnt} packets but the receive queue holds {ReceiveQueueDepth}: {descriptor}.");
        }

        if (!_ports.TryGetValue(descriptor.Cp, out VirtualPort? port))
        {
            port = new VirtualPort(descriptor.Cp, ReceiveQueueDepth);
            _ports.Add(descriptor.Cp, port);
            port.BeginCall(descriptor.Sequence);
        }
        else if (port.Pending.Count == 0 && port.Sequence != descriptor.Sequence)
        {
            QueuedPackets -= port.ClearLane();
            port.BeginCall(descriptor.Sequence);
        }

        port.Pending.Enqueue(descriptor);
        PostedCount++;
        Process(port);
    }

    /// <summary>
    /// Whether the receive queue takes <paramref name="packet"/> now: a descriptor of its call is
    /// posted on its port, its slot is free, and the queue has room (see the remarks on the class).
    /// </summary>
    /// <param name="packet">An arrived packet addressed to this node.</param>
    /// <returns>Whether <see cref="Deliver"/> would accept it.</returns>
    public bool CanAccept(in Descriptor packet)
    {
        if (packet.Destination != Node || packet.Slot >= ReceiveQueueDepth
            || !_ports.TryGetValue(packet.Cp, out VirtualPort? port)
            || port.Sequence != packet.Sequence || port.IsFilled(packet.Slot))
        {
            return false;
        }

        return port.LaneCount < ReceiveQueueDepth;
    }

    /// <summary>Takes an arrived packet into the receive queue, counts it, and fires what it triggers.</summary>
    /// <param name="packet">A packet addressed to this node, for which <see cref="CanAccept"/> is true.</param>
    /// <exception cref="DescriptorFormatException">The packet is malformed.</exception>
    /// <exception cref="NicException">The queue cannot take it (overflow), it is for another node, or it disagrees with the packets already queued on its port.</exception>
    public void Deliver(in Descriptor packet)
    {
        packet.ThrowIfInvalid();
        if (packet.Destination != Node)
        {
            throw new NicException(Node, NicFault.WrongNode, $"packet for node {packet.Destination} delivered here: {packet}.");
        }

        if (!CanAccept(packet))
        {
            throw new NicException(Node, NicFault.ReceiveQueueOverflow, packet.Slot >= ReceiveQueueDepth
                ? $"slot {packet.Slot} is past the receive queue's depth {ReceiveQueueDepth}; packet refused: {packet}."
                : $"no room for packet on port {packet.Cp} (call {packet.Sequence} not posted there, or slot taken): {packet}.");
        }

        VirtualPort port = _ports[packet.Cp];
        if (port.LaneCount > 0 && packet.Branch != port.LaneBranch)
        {
            throw new NicException(Node, NicFault.Mismatch, $"packet names branch {packet.Branch} but port {packet.Cp} already holds packets of branch {port.LaneBranch}: {packet}.");
        }

        port.Enqueue(packet);
        port.Counter++;
        QueuedPackets++;
        LongestLane = Math.Max(LongestLane, port.LaneCount);
        Process(port);
    }

    /// <summary>Takes the next packet the request-send module emitted, in firing order.</summary>
    /// <param name="packet">The packet, addressed to <see cref="Descriptor.Destination"/>.</param>
    /// <returns>Whether there was one.</returns>
    public bool TryTakeOutgoing(out Descriptor packet) => _outgoing.TryDequeue(out packet);

    /// <summary>
    /// Takes the next completion write: a fired put descriptor whose data (and location and error
    /// vector) the host copies to its buffer at <see cref="Descriptor.CompletionSlot"/>.
    /// </summary>
    /// <param name="completion">The completed put descriptor.</param>
    /// <returns>Whether there was one.</returns>
    public bool TryTakeCompletion(out Descriptor completion) => _completions.TryDequeue(out completion);

    /// <summary>Fires the port's head descriptors for as long as their thresholds and inputs allow.</summary>
    private void Process(VirtualPort port)
    {
        while (port.Pending.Count > 0)
        {
            Descriptor head = port.Pending.Peek();
            if (port.Counter < head.CpCnt)
            {
                return;
            }

            if (head.Kind == DescriptorKind.Reduce)
            {
                if (port.LaneCount < head.CpCnt)
                {
                    return;
                }

                CombineLane(port, ref head, head.CpCnt);
                if (head.CpCnt == 0 && head.Destination == Node && head.Op != 0)
                {
                    Alu.Normalize(ref head);
                }
            }
            else
            {
                if (!port.HasResult && !TryTakeLaneResult(port))
                {
                    return;
                }

                ReplaceData(ref head, port.Result);
            }

            port.Pending.Dequeue();
            Fire(port, head);
            // An idle port keeps its counter and result: the host may still post more of the same call.
            if (port.Pending.Count > 0 && port.Pending.Peek().Sequence != port.Sequence)
            {
                QueuedPackets -= port.ClearLane();
                port.BeginCall(port.Pending.Peek().Sequence);
            }
        }
    }

    /// <summary>register = register op lane[0] op lane[1] ..., the local data first, slots in order.</summary>
    private void CombineLane(VirtualPort port, ref Descriptor register, int inputs)
    {
        for (int slot = 0; slot < inputs; slot++)
        {
            ref readonly Descriptor packet = ref port.Queued(slot);
            if (!port.IsFilled(slot) || packet.Branch != inputs || packet.Op != register.Op
                || packet.ElementType != register.ElementType || packet.Count != register.Count)
            {
                throw new NicException(Node, NicFault.Mismatch, port.IsFilled(slot)
                    ? $"packet {packet} does not match local descriptor {register}."
                    : $"port {port.Number} counted {inputs} packets but slot {slot} is empty: two inputs named the same slot.");
            }

            Alu.Combine(ref register, packet);
        }

        QueuedPackets -= port.ClearLane();
    }

    /// <summary>The result of a lane with no local reduce descriptor: the first packet, the others combined into it.</summary>
    private bool TryTakeLaneResult(VirtualPort port)
    {
        if (port.LaneCount == 0 || port.LaneCount < port.LaneBranch)
        {
            return false;
        }

        Descriptor register = port.Queued(0);
        int inputs = port.LaneBranch;
        for (int slot = 1; slot < inputs; slot++)
        {
            Alu.Combine(ref register, port.Queued(slot));
        }

        QueuedPackets -= port.ClearLane();
        port.SetResult(register);
        return true;
    }

    private void ReplaceData(ref Descriptor descriptor, in Descriptor result)
    {
        if (result.Count != descriptor.Count || result.ElementType != descriptor.ElementType || result.Op != descriptor.Op)
        {
            throw new NicException(Node, NicFault.Mismatch, $"result {result} does not match local descriptor {descriptor}.");
        }

        result.Data.CopyTo(descriptor.Data);
        result.Location.CopyTo(descriptor.Location);
        descriptor.Errors |= result.Errors;
    }

    private void Fire(VirtualPort port, in Descriptor descriptor)
    {
        FiredCount++;
        switch (descriptor.Kind)
        {
            case DescriptorKind.Put:
                _completions.Enqueue(descriptor);
                break;
            case DescriptorKind.Reduce or DescriptorKind.Broadcast when descriptor.Destination == Node:
                // The root's packet to itself: it is not reduced again but becomes the port's result.
                port.Counter++;
                port.SetResult(descriptor);
                break;
            default:
                _outgoing.Enqueue(descriptor);
                break;
        }
    }
}
