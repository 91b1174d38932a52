using Collectives.Offload.Descriptors;
using Collectives.Offload.Nic;
using Collectives.Offload.Tests.Support;

namespace Collectives.Offload.Tests.Nic;

public sealed class TriggerTests
{
    [Test]
    public void A_descriptor_never_fires_before_its_threshold()
    {
        var nic = new NicProcessor(node: 0);
        nic.Post(Packets.Reduce(0, 9, port: 3, threshold: 3, value: 100));

        for (int child = 1; child <= 2; child++)
        {
            nic.Deliver(Packets.From(child, 0, port: 3, slot: child - 1, branch: 3, value: child));
            Assert.That(nic.TryTakeOutgoing(out _), Is.False, $"after {child} of 3 packets");
        }

        Assert.That(nic.Counter(3), Is.EqualTo(2));
        nic.Deliver(Packets.From(3, 0, port: 3, slot: 2, branch: 3, value: 3));
        Assert.That(nic.TryTakeOutgoing(out Descriptor sent), Is.True);
        Assert.That(Packets.Value(sent), Is.EqualTo(106));
    }

    [Test]
    public void A_leaf_fires_as_soon_as_it_is_posted()
    {
        var nic = new NicProcessor(node: 4);

        nic.Post(Packets.Reduce(4, 1, port: 0, threshold: 0, value: 7));

        Assert.That(nic.TryTakeOutgoing(out Descriptor sent), Is.True);
        Assert.That(sent.Destination, Is.EqualTo(1));
    }

    [Test]
    public void Descriptors_fire_in_the_order_their_thresholds_are_reached()
    {
        var nic = new NicProcessor(node: 0);
        nic.Post(Packets.Reduce(0, 5, port: 1, threshold: 2, value: 10));
        nic.Post(Packets.Reduce(0, 6, port: 2, threshold: 1, value: 20));
        nic.Post(Packets.Reduce(0, 7, port: 3, threshold: 1, value: 30));

        nic.Deliver(Packets.From(8, 0, port: 1, slot: 0, branch: 2, value: 1));
        nic.Deliver(Packets.From(8, 0, port: 3, slot: 0, branch: 1, value: 1));
        nic.Deliver(Packets.From(9, 0, port: 2, slot: 0, branch: 1, value: 1));
        nic.Deliver(Packets.From(9, 0, port: 1, slot: 1, branch: 2, value: 1));

        var destinations = new List<int>();
        while (nic.TryTakeOutgoing(out Descriptor sent))
        {
            destinations.Add(sent.Destination);
        }

        Assert.That(destinations, Is.EqualTo(new[] { 7, 6, 5 }));
    }

    [Test]
    public void Queued_packets_combine_in_slot_order_after_the_local_data_whatever_their_arrival_order()
    {
        // Float sums are not associative: only the order local, slot 0, slot 1 gives these bits.
        var nic = new NicProcessor(node: 0);
        Descriptor local = Packets.Reduce(0, 9, port: 0, threshold: 2, value: 0, type: Reduction.ElementType.Float32);
        System.Runtime.InteropServices.MemoryMarshal.Write(local.Data, 1e8f);
        nic.Post(local);
        Descriptor slot0 = Float(1, -1e8f, slot: 0);
        Descriptor slot1 = Float(2, 1f, slot: 1);

        nic.Deliver(slot1);
        nic.Deliver(slot0);

        nic.TryTakeOutgoing(out Descriptor sent);
        Assert.That(System.Runtime.InteropServices.MemoryMarshal.Read<float>(sent.Data), Is.EqualTo((1e8f + -1e8f) + 1f));
    }

    [Test]
    public void A_packet_waits_until_a_descriptor_of_its_call_is_posted_on_its_port()
    {
        var nic = new NicProcessor(node: 0);
        Descriptor early = Packets.From(1, 0, port: 4, slot: 0, branch: 1, value: 5, sequence: 2);

        Assert.That(nic.CanAccept(early), Is.False, "nothing posted");
        nic.Post(Packets.Reduce(0, 3, port: 4, threshold: 1, value: 1, sequence: 1));
        Assert.That(nic.CanAccept(early), Is.False, "the port serves another call");
        var exception = Assert.Throws<NicException>(() => nic.Deliver(early));
        Assert.That(exception!.Fault, Is.EqualTo(NicFault.ReceiveQueueOverflow));
    }

    [Test]
    public void A_lane_never_holds_more_than_the_queue_depth()
    {
        var nic = new NicProcessor(node: 0, receiveQueueDepth: 2);
        Descriptor wide = Packets.From(1, 0, port: 0, slot: 2, branch: 3, value: 1);

        Assert.Throws<NicException>(() => nic.Post(Packets.Reduce(0, 3, port: 0, threshold: 3, value: 1)));
        nic.Post(Packets.Reduce(0, 3, port: 0, threshold: 2, value: 1));
        nic.Deliver(Packets.From(1, 0, port: 0, slot: 0, branch: 2, value: 1));

        Assert.That(nic.CanAccept(wide), Is.False);
        var exception = Assert.Throws<NicException>(() => nic.Deliver(wide));
        Assert.That(exception!.Fault, Is.EqualTo(NicFault.ReceiveQueueOverflow));
        Assert.That(nic.LongestLane, Is.LessThanOrEqualTo(2));
    }

    [Test]
    public void A_second_packet_for_a_taken_slot_is_an_overflow_not_a_drop()
    {
        var nic = new NicProcessor(node: 0);
        nic.Post(Packets.Reduce(0, 3, port: 0, threshold: 2, value: 1));
        nic.Deliver(Packets.From(1, 0, port: 0, slot: 0, branch: 2, value: 1));

        var exception = Assert.Throws<NicException>(() => nic.Deliver(Packets.From(2, 0, port: 0, slot: 0, branch: 2, value: 1)));

        Assert.That(exception!.Fault, Is.EqualTo(NicFault.ReceiveQueueOverflow));
    }

    [Test]
    public void A_packet_that_disagrees_with_the_local_descriptor_is_a_mismatch()
    {
        var nic = new NicProcessor(node: 0);
        nic.Post(Packets.Reduce(0, 3, port: 0, threshold: 1, value: 1, op: ReduceOp.Max));

        var exception = Assert.Throws<NicException>(() => nic.Deliver(Packets.From(1, 0, port: 0, slot: 0, branch: 1, value: 1)));

        Assert.That(exception!.Fault, Is.EqualTo(NicFault.Mismatch));
    }

    [Test]
    public void A_descriptor_from_another_node_is_refused()
    {
        var nic = new NicProcessor(node: 0);

        var exception = Assert.Throws<NicException>(() => nic.Post(Packets.Reduce(1, 0, port: 0, threshold: 0, value: 1)));

        Assert.That(exception!.Fault, Is.EqualTo(NicFault.WrongNode));
    }

    [Test]
    public void A_malformed_descriptor_is_refused_before_the_nic_holds_it()
    {
        var nic = new NicProcessor(node: 0);
        Descriptor malformed = Packets.Reduce(0, 1, port: 0, threshold: 0, value: 1);
        malformed.Width = 64;

        Assert.Throws<DescriptorFormatException>(() => nic.Post(malformed));
        Assert.That(nic.PostedCount, Is.Zero);
    }

    private static Descriptor Float(int child, float value, int slot)
    {
        Descriptor packet = Packets.Reduce(child, 0, port: 0, threshold: 0, value: 0, type: Reduction.ElementType.Float32);
        System.Runtime.InteropServices.MemoryMarshal.Write(packet.Data, value);
        packet.Slot = (byte)slot;
        packet.Branch = 2;
        return packet;
    }
}
