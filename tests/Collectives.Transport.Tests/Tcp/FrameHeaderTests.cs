using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

public class FrameHeaderTests
{
    [TestCase(2)]
    [TestCase(3)]
    public void A_header_with_a_non_zero_reserved_byte_is_refused_as_garbage(int reservedByte)
    {
        byte[] bytes = FakeRank.Header(type: 1, length: 16);
        bytes[reservedByte] = 0x01;

        var exception = Assert.Throws<ProtocolException>(() => FrameHeader.Parse(bytes, maxPayload: 1024));

        Assert.That(exception!.Message, Does.Contain("reserved bytes"));
    }
}
