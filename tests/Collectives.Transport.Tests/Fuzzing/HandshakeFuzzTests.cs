using System.IO.Pipelines;
using Collectives.Testing.Fuzzing;
using Collectives.Transport.Security;
using Collectives.Transport.Tests.Support;
using CsCheck;

namespace Collectives.Transport.Tests.Fuzzing;

/// <summary>
/// <see cref="Handshake"/> reads the other side's hello, proof and verdict on every new TCP
/// connection. Both sides are run against each other over in-memory pipes, with a man in the
/// middle changing one direction: whatever he does, each side ends (no hang) in success or a
/// <see cref="ProtocolException"/>, and any change to the bytes before their end makes the
/// handshake fail. Random bytes from a stranger are refused.
/// </summary>
public class HandshakeFuzzTests
{
    private const int HelloLength = 4 + 2 + 1 + 4 + 32;
    private const int ProofLength = 4 + 2 + 1 + 4 + 32 + 16 + 32;
    private const int VerdictLength = 1 + 32;

    private static readonly JobCredentials Credentials = JobCredentials.Generate("fuzz-job");

    private static readonly Gen<Ends> Endpoints = Gen.Select(Gen.OneOf(HandshakePurpose.Transport, HandshakePurpose.Rendezvous), Gen.Int[-1, 64], Gen.Int[-1, 64], Gen.Bool)
        .Select(e => new Ends(e.Item1, e.Item2, e.Item3, e.Item4));

    [Test]
    public void An_untouched_handshake_succeeds_on_both_sides_and_tells_the_acceptor_the_connector_s_rank()
    {
        Fuzz.Check(Endpoints, ends =>
        {
            Outcome outcome = Run(ends, toAcceptor: null, toConnector: null);
            AssertBothSucceeded(outcome);
            Assert.That(outcome.ConnectorRank, Is.EqualTo(ends.ConnectorRank));
        }, ends => ends.ToString());
    }

    [Test]
    public void Any_change_to_the_connector_s_proof_makes_both_sides_fail_with_a_ProtocolException()
    {
        Fuzz.Check(Gen.Select(Endpoints, Tampers(ProofLength)), input =>
        {
            Outcome outcome = Run(input.Item1, toAcceptor: input.Item2, toConnector: null);
            if (!outcome.Changed(ProofLength))
            {
                AssertBothSucceeded(outcome);
                return;
            }

            Assert.That(outcome.Acceptor, Is.TypeOf<ProtocolException>(), "the acceptor");
            Assert.That(outcome.Connector, Is.TypeOf<ProtocolException>(), "the connector");
        }, input => $"{input.Item1} {input.Item2}");
    }

    [Test]
    public void Any_change_to_the_acceptor_s_hello_or_verdict_makes_the_connector_fail_with_a_ProtocolException()
    {
        Fuzz.Check(Gen.Select(Endpoints, Tampers(HelloLength + VerdictLength)), input =>
        {
            Outcome outcome = Run(input.Item1, toAcceptor: null, toConnector: input.Item2);
            if (!outcome.Changed(HelloLength + VerdictLength))
            {
                AssertBothSucceeded(outcome);
                return;
            }

            Assert.That(outcome.Connector, Is.TypeOf<ProtocolException>(), "the connector");
            Assert.That(outcome.Acceptor, outcome.Changed(HelloLength) ? Is.TypeOf<ProtocolException>() : Is.Null, "the acceptor, which fails only if its hello was changed");
        }, input => $"{input.Item1} {input.Item2}");
    }

    [Test]
    public void Random_bytes_sent_to_an_acceptor_are_refused_with_a_ProtocolException()
    {
        Fuzz.Check(Gen.Select(Mutations.RandomBytes(2 * ProofLength), Gen.Int[1, 128]), input =>
        {
            var stranger = new DuplexStream(new TrickleStream(input.Item1, input.Item2), Stream.Null);
            Exception? failure = Ended(async () => await Handshake.AcceptAsync(stranger, Credentials, HandshakePurpose.Transport, 0, CancellationToken.None));
            Assert.That(failure, Is.TypeOf<ProtocolException>());
        }, input => $"{Convert.ToHexString(input.Item1)} in {input.Item2}-byte reads");
    }

    [Test]
    public void Random_bytes_sent_to_a_connector_are_refused_with_a_ProtocolException()
    {
        Fuzz.Check(Gen.Select(Mutations.RandomBytes(2 * (HelloLength + VerdictLength)), Gen.Int[1, 128]), input =>
        {
            var stranger = new DuplexStream(new TrickleStream(input.Item1, input.Item2), Stream.Null);
            Exception? failure = Ended(async () => await Handshake.ConnectAsync(stranger, Credentials, HandshakePurpose.Transport, 1, null, CancellationToken.None));
            Assert.That(failure, Is.TypeOf<ProtocolException>());
        }, input => $"{Convert.ToHexString(input.Item1)} in {input.Item2}-byte reads");
    }

    [Test]
    public void What_the_acceptor_allocates_does_not_depend_on_what_the_connector_sends()
    {
        // The handshake's messages have fixed lengths: nothing a peer sends can make it allocate more.
        Fuzz.Check(Mutations.RandomBytes(4 * ProofLength), bytes =>
        {
            // Every read and write completes at once, so the whole handshake runs on this thread.
            long allocated = Fuzz.BytesAllocatedBy(() => Fuzz.Rejection<ProtocolException>(() =>
                Handshake.AcceptAsync(new DuplexStream(new TrickleStream(bytes, int.MaxValue), Stream.Null), Credentials, HandshakePurpose.Transport, 0, CancellationToken.None).AsTask().GetAwaiter().GetResult()));
            Assert.That(allocated, Is.LessThan(8 * 1024));
        });
    }

    /// <summary>One change anywhere in the first <paramref name="length"/> bytes sent one way (so never a harmless append after the end).</summary>
    private static Gen<Tamper> Tampers(int length) =>
        from kind in Gen.Enum<TamperKind>()
        from position in Gen.Int[0, length - 1]
        from bytes in kind switch
        {
            TamperKind.Flip => Gen.Byte[1, 255].Select(mask => new[] { mask }),
            TamperKind.Overwrite => Gen.OneOf(
                Gen.Byte.Array[1, 4],
                Gen.OneOf(Mutations.ExtremeLengths).Select(value => BitConverter.GetBytes(value))),
            TamperKind.Insert => Gen.Byte.Array[1, 16],
            _ => Gen.Const(Array.Empty<byte>()),
        }
        select new Tamper(kind, position, bytes);

    /// <summary>Runs both sides over two pipes, each direction optionally tampered with; each side closes its end when it is done, as the transport does.</summary>
    private static Outcome Run(Ends ends, Tamper? toAcceptor, Tamper? toConnector)
    {
        var toAcceptorPipe = new Pipe();
        var toConnectorPipe = new Pipe();
        TamperingStream? man = null;
        Stream Tampered(Stream stream, Tamper? tamper) => tamper is null ? stream : man = new TamperingStream(stream, tamper);
        var acceptorEnd = new DuplexStream(toAcceptorPipe.Reader.AsStream(), Tampered(toConnectorPipe.Writer.AsStream(), toConnector));
        var connectorEnd = new DuplexStream(toConnectorPipe.Reader.AsStream(), Tampered(toAcceptorPipe.Writer.AsStream(), toAcceptor));
        int connectorRank = int.MinValue;
        Exception?[] failures = Fuzz.WithinHangBound(() => Task.WhenAll(
            Side(acceptorEnd, async () => connectorRank = await Handshake.AcceptAsync(acceptorEnd, Credentials, ends.Purpose, ends.AcceptorRank, CancellationToken.None)),
            Side(connectorEnd, async () => await Handshake.ConnectAsync(connectorEnd, Credentials, ends.Purpose, ends.ConnectorRank, ends.ExpectAcceptorRank ? ends.AcceptorRank : null, CancellationToken.None))));
        return new Outcome(failures[0], failures[1], connectorRank, length => man?.Changed(length) ?? false);
    }

    /// <summary>For a tamper that happened to change nothing (it inserted or wrote the very bytes that were there).</summary>
    private static void AssertBothSucceeded(Outcome outcome)
        => Assert.That((outcome.Acceptor, outcome.Connector), Is.EqualTo(((Exception?)null, (Exception?)null)), "both sides");

    /// <summary>Runs one side to its end: null on success, the ProtocolException it threw; anything else fails the property.</summary>
    private static async Task<Exception?> Side(Stream end, Func<Task> handshake)
    {
        await using (end)
        {
            try
            {
                await handshake();
                return null;
            }
            catch (ProtocolException exception) when (exception.GetType() == typeof(ProtocolException))
            {
                return exception;
            }
        }
    }

    /// <summary>Runs a handshake against a stranger on a pool thread, bounded so a hang fails.</summary>
    private static Exception? Ended(Func<Task> handshake) => Fuzz.Rejection<ProtocolException>(() => Fuzz.WithinHangBound(async () =>
    {
        await handshake();
        return true;
    }));

    private sealed record Ends(HandshakePurpose Purpose, int AcceptorRank, int ConnectorRank, bool ExpectAcceptorRank);

    /// <summary>How each side ended (null: success), the rank the acceptor learned, and whether the tamper changed the first n bytes.</summary>
    private sealed record Outcome(Exception? Acceptor, Exception? Connector, int ConnectorRank, Func<int, bool> Changed);
}
