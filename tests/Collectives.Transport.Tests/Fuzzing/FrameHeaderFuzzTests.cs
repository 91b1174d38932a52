using System.Buffers;
using Collectives.Testing.Fuzzing;
using Collectives.Transport.Tcp;
using CsCheck;

namespace Collectives.Transport.Tests.Fuzzing;

/// <summary>
/// <see cref="FrameHeader.TryRead"/> reads the 40-byte header of every frame a peer sends over
/// TCP (data, and the heartbeat, abort and goodbye control frames). Whatever the bytes, it says
/// "not enough yet", returns a header within the protocol's limits, or throws
/// <see cref="ProtocolException"/>; and it reads the same across any split of the bytes into
/// buffer segments, as they arrive from the socket.
/// </summary>
public class FrameHeaderFuzzTests
{
    private const int MaxPayload = 1 << 20;

    private static readonly LengthField PayloadLength = new(4, 4);

    private static readonly Gen<MessageTag> Tags = Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong).Select(w => new MessageTag(w.Item1, w.Item2, w.Item3, w.Item4));

    private static readonly Gen<FrameHeader> Headers = Gen.OneOf(
        Gen.Select(Gen.Int[0, MaxPayload], Tags).Select(h => new FrameHeader(FrameType.Data, h.Item1, h.Item2)),
        Gen.Int[0, FrameHeader.MaxAbortReason].Select(length => new FrameHeader(FrameType.Abort, length, default)),
        Gen.OneOf(FrameType.Heartbeat, FrameType.Goodbye).Select(type => new FrameHeader(type, 0, default)));

    private static readonly Gen<byte[]> Encoded = Headers.Select(Encode);

    [Test]
    public void Random_bytes_read_as_not_enough_a_header_within_the_limits_or_a_ProtocolException()
    {
        Fuzz.Check(Mutations.RandomBytes(2 * FrameHeader.Size), AssertReadsWithinTheProtocol);
    }

    [Test]
    public void Headers_with_the_magic_byte_and_random_fields_read_as_a_header_within_the_limits_or_a_ProtocolException()
    {
        // Random bytes almost never start with the magic byte and zero reserved bytes; these reach
        // the type and length checks, with types around the known ones and any length.
        Gen<byte[]> randomFields = Gen.Select(Gen.Byte[0, 5], Gen.Byte.Array[FrameHeader.Size - 4])
            .Select(fields => (byte[])[FrameHeader.MagicVersion, fields.Item1, 0, 0, .. fields.Item2]);
        Fuzz.Check(Mutations.ValidOrMutated(randomFields, PayloadLength), AssertReadsWithinTheProtocol);
    }

    [Test]
    public void Mutated_headers_read_as_not_enough_a_header_within_the_limits_or_a_ProtocolException()
    {
        Fuzz.Check(Mutations.Of(Encoded, PayloadLength), AssertReadsWithinTheProtocol);
    }

    [Test]
    public void A_header_that_is_accepted_is_exactly_what_re_encoding_it_writes()
    {
        // So no byte of a header goes unchecked: a change anywhere is refused or changes a field.
        Fuzz.Check(Mutations.ValidOrMutated(Encoded, PayloadLength), bytes =>
        {
            if (Decode(bytes) is { Rejected: false, Value: { } header })
            {
                Assert.That(Convert.ToHexString(Encode(header)), Is.EqualTo(Convert.ToHexString(bytes, 0, FrameHeader.Size)));
            }
        });
    }

    [Test]
    public void A_valid_header_round_trips()
    {
        Fuzz.Check(Headers, header => Assert.That(Read(Encode(header), MaxPayload), Is.EqualTo(header)), header => header.ToString());
    }

    [Test]
    public void A_header_reads_the_same_however_its_bytes_are_split_into_segments()
    {
        Gen<(byte[] Bytes, int Split)> split =
            from bytes in Mutations.ValidOrMutated(Encoded, PayloadLength)
            from at in Gen.Int[0, bytes.Length]
            select (bytes, at);
        Fuzz.Check(split, input =>
        {
            Decoded<FrameHeader?> whole = Decode(input.Bytes);
            Decoded<FrameHeader?> pieces = Fuzz.Decode<FrameHeader?, ProtocolException>(() => Read(Segmented(input.Bytes, input.Split), MaxPayload));
            Assert.That(pieces.Value, Is.EqualTo(whole.Value));
            Assert.That(pieces.Rejection?.Message, Is.EqualTo(whole.Rejection?.Message));
        }, input => $"{Convert.ToHexString(input.Bytes)} split at {input.Split}");
    }

    [Test]
    public void A_header_claiming_a_huge_or_negative_length_costs_no_allocation_proportional_to_the_claim()
    {
        Gen<(FrameType Type, int Claimed)> claims = Gen.Select(
            Gen.OneOf(FrameType.Data, FrameType.Abort, FrameType.Heartbeat, FrameType.Goodbye),
            Gen.OneOf(Gen.Int[MaxPayload + 1, int.MaxValue], Gen.Int[int.MinValue, -1]));
        Fuzz.Check(claims, claim =>
        {
            byte[] bytes = Encode(new FrameHeader(claim.Type, 0, default));
            Mutations.WriteField(bytes, PayloadLength, claim.Claimed);

            long allocated = Fuzz.BytesAllocatedBy(() => Fuzz.Rejection<ProtocolException>(() => Read(bytes, MaxPayload)));

            Assert.That(allocated, Is.LessThan(4_096), $"reading a {claim.Type} header claiming {claim.Claimed} bytes");
        });
    }

    private static void AssertReadsWithinTheProtocol(byte[] bytes)
    {
        Decoded<FrameHeader?> decoded = Decode(bytes);
        if (decoded.Rejected)
        {
            return;
        }

        if (decoded.Value is not { } header)
        {
            Assert.That(bytes, Has.Length.LessThan(FrameHeader.Size), "only a short buffer is 'not enough yet'");
            return;
        }

        Assert.That(header.Type, Is.AnyOf(FrameType.Data, FrameType.Abort, FrameType.Heartbeat, FrameType.Goodbye));
        Assert.That(header.PayloadLength, Is.InRange(0, header.Type switch
        {
            FrameType.Data => MaxPayload,
            FrameType.Abort => FrameHeader.MaxAbortReason,
            _ => 0,
        }));
    }

    private static Decoded<FrameHeader?> Decode(byte[] bytes) => Fuzz.Decode<FrameHeader?, ProtocolException>(() => Read(bytes, MaxPayload));

    private static FrameHeader? Read(byte[] bytes, int maxPayload) => Read(new ReadOnlySequence<byte>(bytes), maxPayload);

    private static FrameHeader? Read(ReadOnlySequence<byte> bytes, int maxPayload)
        => FrameHeader.TryRead(bytes, maxPayload, out FrameHeader header) ? header : null;

    private static byte[] Encode(FrameHeader header)
    {
        byte[] bytes = new byte[FrameHeader.Size];
        header.WriteTo(bytes);
        return bytes;
    }

    /// <summary>The bytes as a two-segment sequence split at <paramref name="at"/>, as a pipe holds bytes from two reads.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int at)
    {
        var first = new Segment(bytes.AsMemory(0, at), 0);
        Segment last = first.Append(bytes.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
