using System.Buffers;
using Collectives.PointToPoint;

namespace Collectives.Tests.PointToPoint;

public class UnexpectedMessagesTests
{
    [Test]
    public void Messages_with_one_sender_and_tag_are_taken_in_the_order_they_were_kept()
    {
        var messages = new UnexpectedMessages();
        Keep(messages, sender: 1, tag: 7, 10);
        Keep(messages, sender: 1, tag: 7, 20);

        Assert.That(TakeFirstByte(messages, sender: 1, tag: 7), Is.EqualTo(10));
        Assert.That(TakeFirstByte(messages, sender: 1, tag: 7), Is.EqualTo(20));
        Assert.That(messages.Count, Is.Zero);
    }

    [Test]
    public void A_message_with_another_tag_sender_or_communicator_is_not_found()
    {
        var messages = new UnexpectedMessages();
        Keep(messages, sender: 1, tag: 7, 10);

        Assert.That(messages.TryFind(communicatorId: 0, sender: 1, tag: 8, out _), Is.False);
        Assert.That(messages.TryFind(communicatorId: 0, sender: 2, tag: 7, out _), Is.False);
        Assert.That(messages.TryFind(communicatorId: 5, sender: 1, tag: 7, out _), Is.False);
        Assert.That(messages.TryFind(communicatorId: 0, sender: 1, tag: 7, out MessageEnvelope found), Is.True);
        Assert.That(found.Length, Is.EqualTo(3));
    }

    [Test]
    public void A_later_tag_is_taken_before_an_earlier_one_when_its_receive_comes_first()
    {
        var messages = new UnexpectedMessages();
        Keep(messages, sender: 1, tag: 1, 10);
        Keep(messages, sender: 1, tag: 2, 20);

        Assert.That(TakeFirstByte(messages, sender: 1, tag: 2), Is.EqualTo(20));
        Assert.That(TakeFirstByte(messages, sender: 1, tag: 1), Is.EqualTo(10));
    }

    [Test]
    public void Taking_a_message_that_is_not_kept_is_refused()
        => Assert.Throws<InvalidOperationException>(() => new UnexpectedMessages().Take(0, 1, 1, new byte[1]));

    private static void Keep(UnexpectedMessages messages, int sender, int tag, byte first)
    {
        byte[] payload = ArrayPool<byte>.Shared.Rent(3);
        payload[0] = first;
        messages.Keep(new MessageEnvelope(0, sender, tag, DataType: 1, Length: 3), payload);
    }

    private static byte TakeFirstByte(UnexpectedMessages messages, int sender, int tag)
    {
        byte[] destination = new byte[3];
        messages.Take(0, sender, tag, destination);
        return destination[0];
    }
}
