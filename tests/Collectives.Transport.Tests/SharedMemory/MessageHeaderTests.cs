using Collectives.Transport.SharedMemory;

namespace Collectives.Transport.Tests.SharedMemory;

public class MessageHeaderTests
{
    [TestCase(int.MaxValue)]
    [TestCase(MessageHeader.MaxLength + 1)]
    public void A_header_announcing_more_than_the_longest_array_is_refused_instead_of_padding_to_a_negative_length(int length)
    {
        byte[] header = new byte[MessageHeader.Size];
        MessageHeader.Write(header, default, length);

        var exception = Assert.Throws<ProtocolException>(() => MessageHeader.Read(header, source: 4, out _));

        Assert.That(exception!.Message, Does.Contain("Rank 4").And.Contain($"{length} bytes"));
    }

    [Test]
    public void A_header_with_non_zero_reserved_bytes_is_refused_as_garbage()
    {
        byte[] header = new byte[MessageHeader.Size];
        MessageHeader.Write(header, default, 8);
        header[MessageHeader.Size - 1] = 0x80;

        var exception = Assert.Throws<ProtocolException>(() => MessageHeader.Read(header, source: 1, out _));

        Assert.That(exception!.Message, Does.Contain("reserved bytes"));
    }

    [Test]
    public void The_longest_length_a_header_may_announce_pads_to_a_positive_multiple_of_eight()
    {
        Assert.That(MessageHeader.Padded(MessageHeader.MaxLength), Is.EqualTo(MessageHeader.MaxLength + 1).And.Positive);
        Assert.That(Array.MaxLength, Is.EqualTo(MessageHeader.MaxLength), "no payload can be longer than an array");
    }
}
