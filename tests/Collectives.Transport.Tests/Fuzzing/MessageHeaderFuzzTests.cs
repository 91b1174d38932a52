using Collectives.Testing.Fuzzing;
using Collectives.Transport.SharedMemory;
using CsCheck;

namespace Collectives.Transport.Tests.Fuzzing;

/// <summary>
/// <see cref="MessageHeader.Read"/> reads the record header a peer wrote in front of each message
/// in its shared-memory ring. Whatever the 40 bytes, it returns a length the receive loop can pad
/// and consume without overflow, or throws <see cref="ProtocolException"/>.
/// </summary>
public class MessageHeaderFuzzTests
{
    private const int Source = 3;

    private static readonly LengthField Length = new(MessageTag.SizeInBytes, 4);

    private static readonly LengthField Reserved = new(MessageTag.SizeInBytes + 4, 4);

    private static readonly Gen<(MessageTag Tag, int Length)> Records = Gen.Select(
        Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong).Select(w => new MessageTag(w.Item1, w.Item2, w.Item3, w.Item4)),
        Gen.OneOf(Gen.Int[0, 4096], Gen.Int[0, MessageHeader.MaxLength]));

    private static readonly Gen<byte[]> Encoded = Records.Select(record => Encode(record.Tag, record.Length));

    // Mutations that keep the header's 40 bytes (the ring always hands the reader exactly that many).
    private static readonly Gen<byte[]> Mutated = Gen.OneOf(
        Mutations.FlipBits(Encoded), Mutations.Overwrite(Encoded), Mutations.SetLength(Encoded, Length, Reserved));

    [Test]
    public void Random_headers_give_a_length_that_pads_without_overflow_or_a_ProtocolException()
    {
        Fuzz.Check(Mutations.RandomBytes(MessageHeader.Size).Select(bytes => (byte[])[.. bytes, .. new byte[MessageHeader.Size - bytes.Length]]), AssertReadsWithinTheProtocol);
    }

    [Test]
    public void Mutated_headers_give_a_length_that_pads_without_overflow_or_a_ProtocolException()
    {
        Fuzz.Check(Mutated, AssertReadsWithinTheProtocol);
    }

    [Test]
    public void A_header_that_is_accepted_is_exactly_what_re_encoding_it_writes()
    {
        Fuzz.Check(Gen.OneOf(Encoded, Mutated), bytes =>
        {
            if (Decode(bytes) is { Rejected: false, Value: var record })
            {
                Assert.That(Convert.ToHexString(Encode(record.Tag, record.Length)), Is.EqualTo(Convert.ToHexString(bytes)));
            }
        });
    }

    [Test]
    public void A_valid_header_round_trips()
    {
        Fuzz.Check(Records, record => Assert.That(Decode(Encode(record.Tag, record.Length)).Value, Is.EqualTo(record)), record => record.ToString());
    }

    [Test]
    public void A_header_claiming_a_huge_or_negative_length_costs_no_allocation_proportional_to_the_claim()
    {
        Fuzz.Check(Gen.OneOf(Gen.Int[1 << 20, int.MaxValue], Gen.Int[int.MinValue, -1]), claimed =>
        {
            byte[] bytes = Encode(default, claimed);

            long allocated = Fuzz.BytesAllocatedBy(() => Decode(bytes));

            Assert.That(allocated, Is.LessThan(4_096), $"reading a header claiming {claimed} bytes");
        });
    }

    private static void AssertReadsWithinTheProtocol(byte[] bytes)
    {
        if (Decode(bytes) is { Rejected: false, Value.Length: var length })
        {
            Assert.That(length, Is.InRange(0, MessageHeader.MaxLength));
            Assert.That(MessageHeader.Padded(length), Is.InRange(length, length + 7).And.Matches<int>(padded => padded % 8 == 0));
        }
    }

    private static Decoded<(MessageTag Tag, int Length)> Decode(byte[] bytes) => Fuzz.Decode<(MessageTag, int), ProtocolException>(() =>
    {
        int length = MessageHeader.Read(bytes, Source, out MessageTag tag);
        return (tag, length);
    });

    private static byte[] Encode(MessageTag tag, int length)
    {
        byte[] bytes = new byte[MessageHeader.Size];
        MessageHeader.Write(bytes, tag, length);
        return bytes;
    }
}
