using Collectives.PointToPoint;
using Collectives.Transport;

namespace Collectives.Tests.PointToPoint;

public class MessageEnvelopeTests
{
    private static readonly MessageEnvelope Sample = new(CommunicatorId: 0xA1B2C3D4, Sender: 12, Tag: int.MaxValue, DataType: 0x83, Length: 123_456);

    [TestCase(false)]
    [TestCase(true)]
    public void An_envelope_and_its_payload_label_read_back_as_what_was_sent(bool payload)
    {
        Assert.That(MessageEnvelope.TryRead(Sample.ToTag(payload), out MessageEnvelope read, out bool readPayload), Is.True);

        Assert.That((read, readPayload), Is.EqualTo((Sample, payload)));
    }

    [Test]
    public void Only_the_envelope_label_counts_as_an_envelope()
    {
        Assert.That(MessageEnvelope.IsEnvelope(Sample.ToTag(payload: false), out _), Is.True);
        Assert.That(MessageEnvelope.IsEnvelope(Sample.ToTag(payload: true), out _), Is.False);
    }

    [TestCase(CollectiveKind.Barrier)]
    [TestCase(CollectiveKind.Allreduce)]
    [TestCase(CollectiveKind.Allgather)]
    public void A_collectives_message_label_is_never_taken_for_an_envelope(CollectiveKind kind)
    {
        var signature = new CollectiveSignature(Sequence: 0, kind, ReduceOp.Sum, DataType: 1, Count: 0, Root: 0, Algorithm: 1);

        Assert.That(MessageEnvelope.TryRead(signature.ToTag(step: 0, segment: 0), out _, out _), Is.False);
    }

    [Test]
    public void An_all_zero_label_is_not_an_envelope()
        => Assert.That(MessageEnvelope.TryRead(default(MessageTag), out _, out _), Is.False);
}
