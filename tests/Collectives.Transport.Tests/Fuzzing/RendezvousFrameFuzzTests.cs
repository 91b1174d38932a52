using System.Buffers.Binary;
using System.IO.Pipelines;
using Collectives.Testing.Fuzzing;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Tests.Support;
using CsCheck;

namespace Collectives.Transport.Tests.Fuzzing;

/// <summary>
/// <see cref="RendezvousProtocol.ReadFrameAsync"/> reads one length-prefixed frame from a
/// rendezvous connection (requests on the server, responses on the client). Whatever the bytes
/// and however they trickle in, it ends (no hang) with "closed between frames", the body the
/// prefix announced, or a <see cref="ProtocolException"/>; and its memory follows the bytes that
/// arrived, not the length a peer claims.
/// </summary>
public class RendezvousFrameFuzzTests
{
    private const int MaxBody = RendezvousProtocol.MaxRequestBodyBytes;

    private static readonly LengthField Prefix = new(0, 4);

    private static readonly Gen<byte[]> Frames = Gen.OneOf(
        Gen.Select(Gen.OneOf(RendezvousOpcode.Set, RendezvousOpcode.Get), Gen.Byte.Array[1, 64], Gen.Byte.Array[0, 512])
            .Select(r => RendezvousProtocol.EncodeRequest(r.Item1, r.Item2, r.Item3)),
        Gen.Select(Gen.Byte[0, 3], Gen.Byte.Array[0, 512]).Select(r => RendezvousProtocol.EncodeResponse((RendezvousStatus)r.Item1, r.Item2)));

    private static readonly Gen<int> Chunks = Gen.OneOf(Gen.Int[1, 8], Gen.Const(int.MaxValue));

    [Test]
    public void Random_bytes_end_in_no_frame_a_body_as_announced_or_a_ProtocolException()
    {
        Fuzz.Check(Gen.Select(Mutations.RandomBytes(64), Chunks), input => AssertReadsWithinTheProtocol(input.Item1, input.Item2), Print);
    }

    [Test]
    public void Mutated_frames_end_in_no_frame_a_body_as_announced_or_a_ProtocolException()
    {
        Fuzz.Check(Gen.Select(Mutations.Of(Frames, Prefix), Chunks), input => AssertReadsWithinTheProtocol(input.Item1, input.Item2), Print);
    }

    [Test]
    public void A_valid_frame_reads_as_its_body_however_it_trickles_in()
    {
        Fuzz.Check(Gen.Select(Frames, Chunks), input =>
            Assert.That(Read(input.Item1, input.Item2).Value, Is.EqualTo(input.Item1[RendezvousProtocol.LengthPrefixBytes..])), Print);
    }

    [Test]
    public void A_frame_claiming_any_length_costs_no_allocation_proportional_to_the_claim()
    {
        Gen<(uint Claimed, byte[] Sent)> claims = Gen.Select(Gen.OneOf(Gen.UInt, Gen.UInt[0, MaxBody]), Gen.Byte.Array[0, 64]);
        Fuzz.Check(claims, claim =>
        {
            byte[] bytes = new byte[RendezvousProtocol.LengthPrefixBytes + claim.Sent.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, claim.Claimed);
            claim.Sent.CopyTo(bytes, RendezvousProtocol.LengthPrefixBytes);

            // The stream completes every read at once, so the whole read runs on this thread.
            long allocated = Fuzz.BytesAllocatedBy(() => Fuzz.Rejection<ProtocolException>(
                () => RendezvousProtocol.ReadFrameAsync(new TrickleStream(bytes, int.MaxValue), MaxBody, "The peer", CancellationToken.None).GetAwaiter().GetResult()));

            Assert.That(allocated, Is.LessThan(16 * 1024), $"reading a frame that claims {claim.Claimed} bytes and sends {claim.Sent.Length}");
        }, claim => $"claims {claim.Claimed}, sends {Convert.ToHexString(claim.Sent)}");
    }

    [Test]
    public async Task A_peer_that_goes_silent_inside_a_frame_is_given_up_on_when_the_caller_cancels()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 100, 0, 0, 0, 1, 2, 3 });
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Task reading = RendezvousProtocol.ReadFrameAsync(pipe.Reader.AsStream(), MaxBody, "The peer", deadline.Token).AsTask();

        Assert.That(async () => await reading.WaitAsync(FuzzBudget.HangBound), Throws.InstanceOf<OperationCanceledException>());
    }

    private static void AssertReadsWithinTheProtocol(byte[] bytes, int chunk)
    {
        Decoded<byte[]?> decoded = Read(bytes, chunk);
        if (decoded.Rejected)
        {
            return;
        }

        if (decoded.Value is not { } body)
        {
            Assert.That(bytes, Is.Empty, "only a stream that ends before any byte has no frame");
            return;
        }

        Assert.That(body, Has.Length.EqualTo(BinaryPrimitives.ReadUInt32LittleEndian(bytes)).And.Length.AtMost(MaxBody));
        Assert.That(body, Is.EqualTo(bytes.AsSpan(RendezvousProtocol.LengthPrefixBytes, body.Length).ToArray()));
    }

    /// <summary>Reads a frame from <paramref name="bytes"/> trickling in <paramref name="chunk"/>-byte pieces, on a pool thread so a hang (even a synchronous loop) fails.</summary>
    private static Decoded<byte[]?> Read(byte[] bytes, int chunk) => Fuzz.Decode<byte[]?, ProtocolException>(() =>
        Fuzz.WithinHangBound(async () => await RendezvousProtocol.ReadFrameAsync(new TrickleStream(bytes, chunk), MaxBody, "The peer", CancellationToken.None)));

    private static string Print((byte[] Bytes, int Chunk) input) => $"{Convert.ToHexString(input.Bytes)} in {input.Chunk}-byte reads";
}
