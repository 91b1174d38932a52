using Collectives.Execution;
using Collectives.Transport;

namespace Collectives.Tests.Execution;

public class AbortNoticeTests
{
    [Test]
    public void An_empty_abort_reason_is_reported_as_an_unreadable_reason_in_a_ProtocolException()
    {
        Exception decoded = AbortNotice.Decode(new PeerAbortedException(originRank: 3, reason: ReadOnlyMemory<byte>.Empty));

        Assert.That(decoded, Is.TypeOf<ProtocolException>());
        Assert.That(decoded.Message, Does.Contain("Rank 3").And.Contain("unreadable reason"));
    }

    [Test]
    public void A_reason_whose_text_length_runs_past_its_end_is_reported_as_unreadable()
    {
        byte[] reason = AbortNotice.Encode(new InvalidOperationException("disk full"));
        reason[1] = 200;

        Exception decoded = AbortNotice.Decode(new PeerAbortedException(1, reason));

        Assert.That(decoded, Is.TypeOf<ProtocolException>());
        Assert.That(decoded.Message, Does.Contain("unreadable reason"));
    }

    [Test]
    public void A_reason_of_an_unknown_kind_is_reported_as_unreadable_naming_the_kind()
    {
        Exception decoded = AbortNotice.Decode(new PeerAbortedException(0, new byte[] { 99 }));

        Assert.That(decoded, Is.TypeOf<ProtocolException>());
        Assert.That(decoded.Message, Does.Contain("unknown kind 99"));
    }
}
