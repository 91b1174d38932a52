using System.Buffers.Binary;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Tests.Support;

namespace Collectives.Transport.Tests.Rendezvous;

public class RendezvousProtocolTests
{
    [Test]
    public void A_frame_announcing_the_largest_body_but_sending_little_costs_memory_for_what_arrived_only()
    {
        byte[] bytes = new byte[RendezvousProtocol.LengthPrefixBytes + 10];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, RendezvousProtocol.MaxRequestBodyBytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<ProtocolException>(() => RendezvousProtocol.ReadFrameAsync(new TrickleStream(bytes, int.MaxValue), RendezvousProtocol.MaxRequestBodyBytes, "The client", CancellationToken.None).GetAwaiter().GetResult());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.LessThan(RendezvousProtocol.MaxRequestBodyBytes / 4));
    }

    [Test]
    public void A_response_without_a_status_byte_is_a_ProtocolException_not_a_lost_connection()
    {
        var exception = Assert.Throws<ProtocolException>(() => RendezvousProtocol.DecodeResponse([], "GET 'key'"));

        Assert.That(exception!.Message, Does.Contain("empty response"));
    }

    [Test]
    public void A_refusal_carries_the_server_s_message()
    {
        byte[] response = RendezvousProtocol.EncodeError(RendezvousStatus.BadRequest, "unknown opcode 9");

        var exception = Assert.Throws<ProtocolException>(() => RendezvousProtocol.DecodeResponse(response.AsSpan(RendezvousProtocol.LengthPrefixBytes), "SET 'key'"));

        Assert.That(exception!.Message, Does.Contain("refused SET 'key': unknown opcode 9"));
    }
}
