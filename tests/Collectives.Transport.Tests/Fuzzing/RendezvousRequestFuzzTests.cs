using Collectives.Testing.Fuzzing;
using Collectives.Transport.Rendezvous;
using CsCheck;

namespace Collectives.Transport.Tests.Fuzzing;

/// <summary>
/// <see cref="RendezvousProtocol.DecodeRequest"/> reads a request body a client sent to the
/// rendezvous server. It never throws: whatever the bytes, it returns a well-formed request or
/// one whose <see cref="RendezvousRequest.Error"/> says why it is refused.
/// </summary>
public class RendezvousRequestFuzzTests
{
    // The key length, after the opcode.
    private static readonly LengthField KeyLength = new(1, 2);

    private static readonly Gen<string> Keys = Gen.Char['\u0021', '\uD7FF'].Array[1, 40].Select(chars => new string(chars));

    private static readonly Gen<RendezvousRequest> Requests = Gen.OneOf(
        Gen.Select(Keys, Gen.Byte.Array[0, 512]).Select(r => new RendezvousRequest(RendezvousOpcode.Set, r.Item1, r.Item2, null)),
        Keys.Select(key => new RendezvousRequest(RendezvousOpcode.Get, key, [], null)));

    private static readonly Gen<byte[]> Bodies = Requests.Select(Body);

    [Test]
    public void Random_bodies_decode_to_a_well_formed_request_or_a_refusal_without_throwing()
    {
        Fuzz.Check(Mutations.RandomBytes(128), AssertDecodesWithinTheProtocol);
    }

    [Test]
    public void Mutated_requests_decode_to_a_well_formed_request_or_a_refusal_without_throwing()
    {
        Fuzz.Check(Mutations.Of(Bodies, KeyLength), AssertDecodesWithinTheProtocol);
    }

    [Test]
    public void A_request_that_is_accepted_is_exactly_what_re_encoding_it_writes()
    {
        Fuzz.Check(Mutations.ValidOrMutated(Bodies, KeyLength), body =>
        {
            RendezvousRequest request = RendezvousProtocol.DecodeRequest(body);
            if (request.Error is null)
            {
                Assert.That(Convert.ToHexString(Body(request)), Is.EqualTo(Convert.ToHexString(body)));
            }
        });
    }

    [Test]
    public void A_valid_request_round_trips()
    {
        Fuzz.Check(Requests, request =>
        {
            RendezvousRequest decoded = RendezvousProtocol.DecodeRequest(Body(request));
            Assert.That((decoded.Opcode, decoded.Key, decoded.Value, decoded.Error), Is.EqualTo((request.Opcode, request.Key, request.Value, (string?)null)));
        }, request => $"{request.Opcode} '{request.Key}' {Convert.ToHexString(request.Value)}");
    }

    [Test]
    public void A_request_claiming_any_key_length_costs_no_allocation_proportional_to_the_claim()
    {
        Fuzz.Check(Gen.Select(Bodies, Gen.UShort), claim =>
        {
            byte[] body = [.. claim.Item1];
            Mutations.WriteField(body, KeyLength, claim.Item2);

            long allocated = Fuzz.BytesAllocatedBy(() => RendezvousProtocol.DecodeRequest(body));

            Assert.That(allocated, Is.LessThan(4_096 + (2 * body.Length)), $"decoding a request that claims a {claim.Item2}-byte key");
        }, claim => $"{Convert.ToHexString(claim.Item1)} key length {claim.Item2}");
    }

    private static void AssertDecodesWithinTheProtocol(byte[] body)
    {
        RendezvousRequest request = RendezvousProtocol.DecodeRequest(body);
        if (request.Error is not null)
        {
            return;
        }

        Assert.That(request.Opcode, Is.AnyOf(RendezvousOpcode.Set, RendezvousOpcode.Get));
        Assert.That(request.Key, Is.Not.Empty);
        Assert.That(RendezvousProtocol.EncodeKey(request.Key), Has.Length.AtMost(RendezvousProtocol.MaxKeyBytes));
        Assert.That(request.Value, Has.Length.AtMost(request.Opcode == RendezvousOpcode.Get ? 0 : RendezvousProtocol.MaxValueBytes));
    }

    private static byte[] Body(RendezvousRequest request)
        => RendezvousProtocol.EncodeRequest(request.Opcode, RendezvousProtocol.EncodeKey(request.Key), request.Value)[RendezvousProtocol.LengthPrefixBytes..];
}
