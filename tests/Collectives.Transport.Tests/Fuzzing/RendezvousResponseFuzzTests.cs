using Collectives.Testing.Fuzzing;
using Collectives.Transport.Rendezvous;
using CsCheck;

namespace Collectives.Transport.Tests.Fuzzing;

/// <summary>
/// <see cref="RendezvousProtocol.DecodeResponse"/> reads a response body the rendezvous server
/// sent a client. Whatever the bytes, it returns an OK or key-already-set status with its payload,
/// or throws <see cref="ProtocolException"/>.
/// </summary>
public class RendezvousResponseFuzzTests
{
    private const string Request = "GET 'key'";

    private static readonly Gen<(RendezvousStatus Status, byte[] Payload)> Responses =
        Gen.Select(Gen.OneOf(RendezvousStatus.Ok, RendezvousStatus.KeyAlreadySet), Gen.Byte.Array[0, 512]);

    private static readonly Gen<byte[]> Bodies = Gen.OneOf(
        Responses.Select(response => Body(response.Status, response.Payload)),
        Gen.Char['\u0020', '\uD7FF'].Array[0, 100].Select(message => RendezvousProtocol.EncodeError(RendezvousStatus.BadRequest, new string(message))[RendezvousProtocol.LengthPrefixBytes..]));

    [Test]
    public void Random_bodies_decode_to_a_known_status_or_a_ProtocolException()
    {
        Fuzz.Check(Mutations.RandomBytes(128), AssertDecodesWithinTheProtocol);
    }

    [Test]
    public void Mutated_responses_decode_to_a_known_status_or_a_ProtocolException()
    {
        Fuzz.Check(Mutations.Of(Bodies), AssertDecodesWithinTheProtocol);
    }

    [Test]
    public void A_valid_response_round_trips()
    {
        Fuzz.Check(Responses, response =>
        {
            (RendezvousStatus status, byte[] payload) = RendezvousProtocol.DecodeResponse(Body(response.Status, response.Payload), Request);
            Assert.That((status, payload), Is.EqualTo(response));
        }, response => $"{response.Status} {Convert.ToHexString(response.Payload)}");
    }

    private static void AssertDecodesWithinTheProtocol(byte[] body)
    {
        Decoded<(RendezvousStatus Status, byte[] Payload)> decoded = Fuzz.Decode<(RendezvousStatus, byte[]), ProtocolException>(() => RendezvousProtocol.DecodeResponse(body, Request));
        if (!decoded.Rejected)
        {
            Assert.That(decoded.Value.Status, Is.AnyOf(RendezvousStatus.Ok, RendezvousStatus.KeyAlreadySet));
            Assert.That(decoded.Value.Payload, Is.EqualTo(body[1..]));
        }
    }

    private static byte[] Body(RendezvousStatus status, byte[] payload)
        => RendezvousProtocol.EncodeResponse(status, payload)[RendezvousProtocol.LengthPrefixBytes..];
}
