using Collectives.Execution;
using Collectives.Testing.Fuzzing;
using Collectives.Transport;
using CsCheck;

namespace Collectives.Tests.Fuzzing;

/// <summary>
/// <see cref="AbortNotice.Decode"/> reads the reason another rank gave for aborting the job. It
/// never throws: whatever the bytes, it returns the exception to raise, one of the four kinds a
/// notice carries, and a reason it cannot read is a <see cref="ProtocolException"/>.
/// </summary>
public class AbortNoticeFuzzTests
{
    private const int OriginRank = 2;

    // Where each kind keeps its text length: after the kind byte (Other), after the rank
    // (PeerFailed), after two ranks and two signatures (Mismatch).
    private static readonly LengthField[] TextLengths = [new(1, 4), new(5, 4), new(1 + 4 + MessageTag.SizeInBytes + 4 + MessageTag.SizeInBytes, 4)];

    private static readonly Gen<string> Texts = Gen.Char['\u0020', '\uD7FF'].Array[0, 120].Select(chars => new string(chars));

    private static readonly Gen<CollectiveSignature> Signatures =
        Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong).Select(words => CollectiveSignature.FromTag(new MessageTag(words.Item1, words.Item2, words.Item3, 0), out _, out _));

    private static readonly Gen<Exception> Failures = Gen.OneOf<Exception>(
        Gen.Select(Gen.Int, Signatures, Gen.Int, Signatures, Texts).Select(f => (Exception)new CollectiveMismatchException(f.Item1, f.Item2, f.Item3, f.Item4, f.Item5.Length == 0 ? null : f.Item5)),
        Gen.Select(Gen.Int, Gen.Int, Gen.Long, Signatures).Select(f => (Exception)new CollectiveTimeoutException(f.Item1, f.Item2, TimeSpan.FromTicks(f.Item3), f.Item4)),
        Gen.Select(Gen.Int, Texts).Select(f => (Exception)new PeerFailedException(f.Item1, f.Item2)),
        Texts.Select(text => (Exception)new InvalidOperationException(text)));

    private static readonly Gen<byte[]> Notices = Failures.Select(AbortNotice.Encode);

    [Test]
    public void Random_bytes_decode_to_one_of_the_four_documented_exceptions_without_throwing()
    {
        Fuzz.Check(Mutations.RandomBytes(256), reason => AssertDocumented(Decode(reason)));
    }

    [Test]
    public void Mutated_notices_decode_to_one_of_the_four_documented_exceptions_without_throwing()
    {
        Fuzz.Check(Mutations.Of(Notices, TextLengths), reason => AssertDocumented(Decode(reason)));
    }

    [Test]
    public void A_valid_notice_round_trips_to_an_exception_with_the_same_facts()
    {
        Fuzz.Check(Failures, failure => Assert.That(Facts(Decode(AbortNotice.Encode(failure))), Is.EqualTo(Facts(failure))), failure => failure.ToString());
    }

    [Test]
    public void A_notice_cut_short_anywhere_is_reported_as_unreadable()
    {
        Fuzz.Check(Mutations.Truncate(Notices), reason =>
        {
            Exception decoded = Decode(reason);
            Assert.That(decoded, Is.TypeOf<ProtocolException>());
            Assert.That(decoded.Message, Does.Contain("unreadable reason"));
        });
    }

    [Test]
    public void A_text_claiming_a_huge_length_costs_no_allocation_proportional_to_the_claim()
    {
        Gen<(byte Kind, int Claimed)> claims = Gen.Select(Gen.OneOf((byte)3, (byte)4), Gen.Int[1_000, int.MaxValue]);
        Fuzz.Check(claims, claim =>
        {
            byte[] reason = new byte[16];
            reason[0] = claim.Kind;
            Mutations.WriteField(reason, new LengthField(claim.Kind == 3 ? 5 : 1, 4), claim.Claimed);

            long allocated = Fuzz.BytesAllocatedBy(() => Decode(reason));

            Assert.That(allocated, Is.LessThan(4_096), $"decoding a reason claiming a {claim.Claimed}-byte text");
        });
    }

    private static Exception Decode(byte[] reason) => AbortNotice.Decode(new PeerAbortedException(OriginRank, reason));

    private static void AssertDocumented(Exception decoded)
        => Assert.That(decoded, Is.TypeOf<CollectiveMismatchException>().Or.TypeOf<CollectiveTimeoutException>().Or.TypeOf<PeerFailedException>().Or.TypeOf<ProtocolException>());

    /// <summary>What a notice carries about <paramref name="failure"/>, comparable across encode and decode.</summary>
    private static object Facts(Exception failure) => failure switch
    {
        CollectiveMismatchException m => (m.LocalRank, m.Local, m.RemoteRank, m.Remote, m.Detail),
        CollectiveTimeoutException t => (t.WaitingRank, t.SilentRank, t.Timeout, t.Call),
        PeerFailedException p => (p.Rank, p.Reason),
        ProtocolException p => p.Message,
        _ => $"Rank {OriginRank} aborted the job: {failure.Message}",
    };
}
