using Collectives.Transport.InProcess;

namespace Collectives.Transport.Tests.InProcess;

/// <summary>
/// Point-to-point behaviour of the in-process transport: delivery, ordering, the two delivery
/// paths, verification of tag and length, cancellation and the one-receive-per-source rule.
/// Failures (abort, close) are in <see cref="InProcessTransportFailureTests"/>.
/// </summary>
public class InProcessTransportTests
{
    private static readonly MessageTag Tag = new(1, 2, 3, 4);
    private static readonly MessageTag OtherTag = new(1, 2, 3, 5);

    [Test]
    public void A_group_has_one_transport_per_rank_numbered_by_index()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);

        Assert.That(group.Select(transport => (transport.Rank, transport.Size, transport.Name)),
            Is.EqualTo(new[] { (0, 3, "inprocess"), (1, 3, "inprocess"), (2, 3, "inprocess") }));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void A_group_needs_at_least_one_rank(int size)
    {
        Assert.That(() => InProcessTransport.CreateGroup(size), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task A_message_arrives_with_its_tag_and_bytes()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        byte[] buffer = new byte[3];

        await group[0].SendAsync(1, Tag, new byte[] { 7, 8, 9 }, CancellationToken.None);
        ReceivedMessage received = await group[1].ReceiveAsync(0, Tag, buffer, CancellationToken.None);

        Assert.That(received, Is.EqualTo(new ReceivedMessage(Tag, 3, Delivered: true)));
        Assert.That(buffer, Is.EqualTo(new byte[] { 7, 8, 9 }));
    }

    [Test]
    public async Task Messages_between_one_pair_arrive_in_the_order_they_were_sent()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        for (byte i = 0; i < 100; i++)
        {
            await group[0].SendAsync(1, new MessageTag(i, 0, 0, 0), new[] { i }, CancellationToken.None);
        }

        var order = new List<byte>();
        byte[] buffer = new byte[1];
        for (byte i = 0; i < 100; i++)
        {
            ReceivedMessage received = await group[1].ReceiveAsync(0, new MessageTag(i, 0, 0, 0), buffer, CancellationToken.None);
            Assert.That(received.Delivered, Is.True, $"message {i}");
            order.Add(buffer[0]);
        }

        Assert.That(order, Is.EqualTo(Enumerable.Range(0, 100).Select(i => (byte)i)));
    }

    [Test]
    public async Task Messages_from_different_sources_are_received_independently_of_send_order()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);
        await group[1].SendAsync(0, Tag, new byte[] { 1 }, CancellationToken.None);
        await group[2].SendAsync(0, Tag, new byte[] { 2 }, CancellationToken.None);
        byte[] fromTwo = new byte[1];
        byte[] fromOne = new byte[1];

        await group[0].ReceiveAsync(2, Tag, fromTwo, CancellationToken.None);
        await group[0].ReceiveAsync(1, Tag, fromOne, CancellationToken.None);

        Assert.That((fromOne[0], fromTwo[0]), Is.EqualTo(((byte)1, (byte)2)));
    }

    [Test]
    public async Task A_receive_posted_before_the_send_waits_and_then_gets_the_data()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        byte[] buffer = new byte[2];

        ValueTask<ReceivedMessage> receive = group[1].ReceiveAsync(0, Tag, buffer, CancellationToken.None);
        Assert.That(receive.IsCompleted, Is.False, "nothing was sent yet");
        await group[0].SendAsync(1, Tag, new byte[] { 5, 6 }, CancellationToken.None);
        ReceivedMessage received = await receive;

        Assert.That(received, Is.EqualTo(new ReceivedMessage(Tag, 2, Delivered: true)));
        Assert.That(buffer, Is.EqualTo(new byte[] { 5, 6 }));
    }

    [Test]
    public async Task A_receive_posted_after_the_send_completes_at_once_with_the_queued_data()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        byte[] payload = { 5, 6 };
        byte[] buffer = new byte[2];

        await group[0].SendAsync(1, Tag, payload, CancellationToken.None);
        payload[0] = 99; // the send completed, so the sender may reuse its buffer
        ValueTask<ReceivedMessage> receive = group[1].ReceiveAsync(0, Tag, buffer, CancellationToken.None);

        Assert.That(receive.IsCompleted, Is.True);
        Assert.That((await receive).Delivered, Is.True);
        Assert.That(buffer, Is.EqualTo(new byte[] { 5, 6 }));
    }

    [TestCase(true, TestName = "A_message_with_another_tag_is_not_delivered_into_a_waiting_receive")]
    [TestCase(false, TestName = "A_message_with_another_tag_is_not_delivered_from_the_queue")]
    public async Task A_message_with_another_tag_is_not_delivered(bool receiveFirst)
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        byte[] buffer = { 42, 42, 42 };

        ReceivedMessage received = await Exchange(group, OtherTag, new byte[] { 1, 2, 3 }, Tag, buffer, receiveFirst);

        Assert.That(received, Is.EqualTo(new ReceivedMessage(OtherTag, 3, Delivered: false)));
        Assert.That(buffer, Is.EqualTo(new byte[] { 42, 42, 42 }), "the receive buffer is untouched");
    }

    [TestCase(true, 2, TestName = "A_shorter_message_is_not_delivered_into_a_waiting_receive")]
    [TestCase(false, 2, TestName = "A_shorter_message_is_not_delivered_from_the_queue")]
    [TestCase(true, 4, TestName = "A_longer_message_is_not_delivered_into_a_waiting_receive")]
    [TestCase(false, 4, TestName = "A_longer_message_is_not_delivered_from_the_queue")]
    public async Task A_message_of_another_length_is_not_delivered(bool receiveFirst, int length)
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        byte[] buffer = { 42, 42, 42 };

        ReceivedMessage received = await Exchange(group, Tag, Enumerable.Repeat((byte)1, length).ToArray(), Tag, buffer, receiveFirst);

        Assert.That(received, Is.EqualTo(new ReceivedMessage(Tag, length, Delivered: false)));
        Assert.That(buffer, Is.EqualTo(new byte[] { 42, 42, 42 }), "the receive buffer is untouched");
    }

    [Test]
    public async Task A_message_that_is_not_delivered_is_consumed()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        await group[0].SendAsync(1, OtherTag, new byte[] { 1 }, CancellationToken.None);
        await group[0].SendAsync(1, Tag, new byte[] { 2 }, CancellationToken.None);
        byte[] buffer = new byte[1];

        ReceivedMessage first = await group[1].ReceiveAsync(0, Tag, buffer, CancellationToken.None);
        ReceivedMessage second = await group[1].ReceiveAsync(0, Tag, buffer, CancellationToken.None);

        Assert.That((first.Delivered, second.Delivered, buffer[0]), Is.EqualTo((false, true, (byte)2)));
    }

    [TestCase(true, TestName = "A_zero_length_message_is_delivered_into_a_waiting_receive")]
    [TestCase(false, TestName = "A_zero_length_message_is_delivered_from_the_queue")]
    public async Task A_zero_length_message_is_delivered(bool receiveFirst)
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);

        ReceivedMessage received = await Exchange(group, Tag, Array.Empty<byte>(), Tag, Memory<byte>.Empty, receiveFirst);

        Assert.That(received, Is.EqualTo(new ReceivedMessage(Tag, 0, Delivered: true)));
    }

    [Test]
    public async Task A_zero_length_message_is_not_delivered_into_a_non_empty_buffer()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);

        ReceivedMessage received = await Exchange(group, Tag, Array.Empty<byte>(), Tag, new byte[1], receiveFirst: false);

        Assert.That(received, Is.EqualTo(new ReceivedMessage(Tag, 0, Delivered: false)));
    }

    [Test]
    public void Cancelling_a_waiting_receive_throws_OperationCanceledException()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        using var cancellation = new CancellationTokenSource();

        ValueTask<ReceivedMessage> receive = group[1].ReceiveAsync(0, Tag, new byte[1], cancellation.Token);
        cancellation.Cancel();

        Assert.That(async () => await receive, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void A_receive_with_an_already_cancelled_token_and_nothing_queued_is_cancelled()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);

        Assert.That(async () => await group[1].ReceiveAsync(0, Tag, new byte[1], new CancellationToken(true)),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_cancelled_receive_leaves_the_next_message_for_the_next_receive()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        using var cancellation = new CancellationTokenSource();
        ValueTask<ReceivedMessage> cancelled = group[1].ReceiveAsync(0, Tag, new byte[1], cancellation.Token);
        cancellation.Cancel();
        Assert.That(async () => await cancelled, Throws.InstanceOf<OperationCanceledException>());

        await group[0].SendAsync(1, Tag, new byte[] { 9 }, CancellationToken.None);
        byte[] buffer = new byte[1];
        ReceivedMessage received = await group[1].ReceiveAsync(0, Tag, buffer, CancellationToken.None);

        Assert.That((received.Delivered, buffer[0]), Is.EqualTo((true, (byte)9)));
    }

    [Test]
    public async Task A_second_receive_from_the_same_source_while_one_waits_throws_InvalidOperationException()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        ValueTask<ReceivedMessage> first = group[1].ReceiveAsync(0, Tag, new byte[1], CancellationToken.None);

        Assert.That(async () => await group[1].ReceiveAsync(0, Tag, new byte[1], CancellationToken.None),
            Throws.TypeOf<InvalidOperationException>());

        await group[0].SendAsync(1, Tag, new byte[1], CancellationToken.None);
        Assert.That((await first).Delivered, Is.True, "the first receive is unaffected");
    }

    [Test]
    public async Task Receives_from_different_sources_may_wait_at_the_same_time()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);
        ValueTask<ReceivedMessage> fromOne = group[0].ReceiveAsync(1, Tag, new byte[1], CancellationToken.None);
        ValueTask<ReceivedMessage> fromTwo = group[0].ReceiveAsync(2, Tag, new byte[1], CancellationToken.None);

        await group[2].SendAsync(0, Tag, new byte[1], CancellationToken.None);
        await group[1].SendAsync(0, Tag, new byte[1], CancellationToken.None);

        Assert.That(((await fromOne).Delivered, (await fromTwo).Delivered), Is.EqualTo((true, true)));
    }

    [TestCase(1, TestName = "Sending_to_oneself_throws_ArgumentOutOfRangeException")]
    [TestCase(-1, TestName = "Sending_to_a_negative_rank_throws_ArgumentOutOfRangeException")]
    [TestCase(3, TestName = "Sending_to_a_rank_beyond_the_group_throws_ArgumentOutOfRangeException")]
    public void Sending_to_an_invalid_peer_throws_ArgumentOutOfRangeException(int destination)
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);

        Assert.That(() => group[1].SendAsync(destination, Tag, new byte[1], CancellationToken.None),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("destination"));
    }

    [TestCase(1, TestName = "Receiving_from_oneself_throws_ArgumentOutOfRangeException")]
    [TestCase(-1, TestName = "Receiving_from_a_negative_rank_throws_ArgumentOutOfRangeException")]
    [TestCase(3, TestName = "Receiving_from_a_rank_beyond_the_group_throws_ArgumentOutOfRangeException")]
    public void Receiving_from_an_invalid_peer_throws_ArgumentOutOfRangeException(int source)
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);

        Assert.That(() => group[1].ReceiveAsync(source, Tag, new byte[1], CancellationToken.None),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("source"));
    }

    [Test]
    public void The_in_process_transport_offers_no_optional_features()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);

        Assert.That(group[0].GetFeature<IDisposable>(), Is.Null);
    }

    private static async Task<ReceivedMessage> Exchange(
        InProcessTransport[] group, MessageTag sentTag, byte[] payload, MessageTag expectedTag, Memory<byte> buffer, bool receiveFirst)
    {
        if (receiveFirst)
        {
            ValueTask<ReceivedMessage> receive = group[1].ReceiveAsync(0, expectedTag, buffer, CancellationToken.None);
            Assert.That(receive.IsCompleted, Is.False, "the receive should be waiting before the send");
            await group[0].SendAsync(1, sentTag, payload, CancellationToken.None);
            return await receive;
        }

        await group[0].SendAsync(1, sentTag, payload, CancellationToken.None);
        return await group[1].ReceiveAsync(0, expectedTag, buffer, CancellationToken.None);
    }
}
