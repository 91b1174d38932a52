using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Collectives.Transport.Security;

/// <summary>
/// The mutual challenge-response that opens every TCP connection of a job (protocol version 1).
/// <list type="number">
/// <item>Acceptor sends Hello: magic "COLL", version, purpose, its rank, a random nonce.</item>
/// <item>Connector sends Proof: magic, version, purpose, its rank, its nonce, the job-id hash, and
/// HMAC(secret, "connect" | purpose | both ranks | both nonces | job id).</item>
/// <item>Acceptor checks it (and, between ranks, that the claimed rank is one that connects here and
/// is not connected yet) and answers Verdict: a status byte and HMAC(secret, "accept" | ...), so
/// the connector knows the acceptor holds the secret too.</item>
/// </list>
/// Nothing secret crosses the wire; nonces make every proof single-use. Any deviation is a
/// <see cref="ProtocolException"/> that names what was wrong.
/// </summary>
internal static class Handshake
{
    /// <summary>The protocol version this build speaks.</summary>
    public const ushort Version = 1;

    private const int NonceLength = 32;
    private const int MacLength = 32;
    private const int HelloLength = 4 + 2 + 1 + 4 + NonceLength;
    private const int ProofLength = 4 + 2 + 1 + 4 + NonceLength + 16 + MacLength;
    private const int VerdictLength = 1 + MacLength;
    private static readonly byte[] Magic = "COLL"u8.ToArray();

    private enum Verdict : byte
    {
        Accepted = 0,
        WrongVersion = 1,
        WrongJob = 2,
        WrongSecret = 3,
        WrongPurpose = 4,
        DuplicateRank = 5,
        UnexpectedRank = 6,
    }

    /// <summary>Runs the acceptor's side; returns the connector's rank.</summary>
    /// <param name="stream">The accepted connection.</param>
    /// <param name="credentials">The job's credentials.</param>
    /// <param name="purpose">What this listener serves.</param>
    /// <param name="acceptorRank">This side's rank (-1 for a rendezvous server).</param>
    /// <param name="cancellationToken">Bounds the handshake; callers pass a token with a deadline.</param>
    /// <returns>The rank the connector proved it is (-1 for a client that is not a rank).</returns>
    /// <exception cref="ProtocolException">The connector is not of this job, or spoke garbage.</exception>
    public static ValueTask<int> AcceptAsync(Stream stream, JobCredentials credentials, HandshakePurpose purpose, int acceptorRank, CancellationToken cancellationToken)
        => AcceptAsync(stream, credentials, purpose, acceptorRank, admit: null, cancellationToken);

    /// <summary>
    /// As the public overload, and once the connector has proven it belongs to the job, asks
    /// <paramref name="admit"/> whether the rank it claims may connect here, before answering: a
    /// rank that is already connected, or that never connects to this one, is refused with its own
    /// verdict, so the connector learns why and the connection it duplicates is left alone.
    /// </summary>
    internal static async ValueTask<int> AcceptAsync(
        Stream stream, JobCredentials credentials, HandshakePurpose purpose, int acceptorRank, Func<int, RankAdmission>? admit, CancellationToken cancellationToken)
    {
        byte[] hello = new byte[HelloLength];
        Magic.CopyTo(hello, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(4), Version);
        hello[6] = (byte)purpose;
        BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(7), acceptorRank);
        byte[] acceptorNonce = RandomNumberGenerator.GetBytes(NonceLength);
        acceptorNonce.CopyTo(hello, 11);
        await stream.WriteAsync(hello, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        byte[] proof = new byte[ProofLength];
        await ReadExactlyAsync(stream, proof, "the connector's proof", cancellationToken).ConfigureAwait(false);
        if (!proof.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new ProtocolException("Refused a connection that does not speak the Collectives protocol (bad magic bytes).");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(proof.AsSpan(4));
        int connectorRank = BinaryPrimitives.ReadInt32LittleEndian(proof.AsSpan(7));
        ReadOnlySpan<byte> connectorNonce = proof.AsSpan(11, NonceLength);
        ReadOnlySpan<byte> jobIdHash = proof.AsSpan(11 + NonceLength, 16);
        ReadOnlySpan<byte> connectorMac = proof.AsSpan(11 + NonceLength + 16, MacLength);

        Verdict verdict = Verdict.Accepted;
        Span<byte> expectedMac = stackalloc byte[MacLength];
        if (version != Version)
        {
            verdict = Verdict.WrongVersion;
        }
        else if (proof[6] != (byte)purpose)
        {
            verdict = Verdict.WrongPurpose;
        }
        else if (!jobIdHash.SequenceEqual(credentials.JobIdHash))
        {
            verdict = Verdict.WrongJob;
        }
        else
        {
            credentials.Sign(Transcript("connect", purpose, connectorRank, acceptorRank, acceptorNonce, connectorNonce, credentials.JobId), expectedMac);
            if (!CryptographicOperations.FixedTimeEquals(expectedMac, connectorMac))
            {
                verdict = Verdict.WrongSecret;
            }
            else if (admit is not null)
            {
                verdict = admit(connectorRank) switch
                {
                    RankAdmission.Admitted => Verdict.Accepted,
                    RankAdmission.AlreadyConnected => Verdict.DuplicateRank,
                    _ => Verdict.UnexpectedRank,
                };
            }
        }

        byte[] answer = new byte[VerdictLength];
        answer[0] = (byte)verdict;
        if (verdict == Verdict.Accepted)
        {
            credentials.Sign(Transcript("accept", purpose, connectorRank, acceptorRank, acceptorNonce, connectorNonce, credentials.JobId), answer.AsSpan(1));
        }

        await stream.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (verdict != Verdict.Accepted)
        {
            throw new ProtocolException($"Refused a connection claiming rank {connectorRank}: {Describe(verdict, version, connectorRank, acceptorRank)}.");
        }

        return connectorRank;
    }

    /// <summary>Runs the connector's side.</summary>
    /// <param name="stream">The new connection.</param>
    /// <param name="credentials">The job's credentials.</param>
    /// <param name="purpose">What the connection is for.</param>
    /// <param name="connectorRank">This side's rank (-1 for a client that is not a rank).</param>
    /// <param name="expectedAcceptorRank">The rank this side meant to reach, or null to accept any.</param>
    /// <param name="cancellationToken">Bounds the handshake; callers pass a token with a deadline.</param>
    /// <returns>A task that completes when both sides have proven membership of the job.</returns>
    /// <exception cref="ProtocolException">The other side refused, is not of this job, or spoke garbage.</exception>
    public static async ValueTask ConnectAsync(Stream stream, JobCredentials credentials, HandshakePurpose purpose, int connectorRank, int? expectedAcceptorRank, CancellationToken cancellationToken)
    {
        byte[] hello = new byte[HelloLength];
        await ReadExactlyAsync(stream, hello, "the acceptor's hello", cancellationToken).ConfigureAwait(false);
        if (!hello.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new ProtocolException("The peer does not speak the Collectives protocol (bad magic bytes).");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(hello.AsSpan(4));
        if (version != Version)
        {
            throw new ProtocolException($"The peer speaks protocol version {version}; this build speaks {Version}.");
        }

        if (hello[6] != (byte)purpose)
        {
            // The transcript is signed with this side's purpose, so a tampered byte would not let
            // anyone in; but a hello must be checked whole, and the other side says what it serves.
            throw new ProtocolException($"The peer serves connections of purpose {hello[6]}, not {(byte)purpose} ({purpose}): a rank port and the rendezvous port were mixed up, or the hello was tampered with.");
        }

        int acceptorRank = BinaryPrimitives.ReadInt32LittleEndian(hello.AsSpan(7));
        if (expectedAcceptorRank is { } expected && acceptorRank != expected)
        {
            throw new ProtocolException($"Reached rank {acceptorRank} where rank {expected} was expected (a stale or wrong address).");
        }

        byte[] acceptorNonce = hello.AsSpan(11, NonceLength).ToArray();
        byte[] connectorNonce = RandomNumberGenerator.GetBytes(NonceLength);
        byte[] proof = new byte[ProofLength];
        Magic.CopyTo(proof, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(proof.AsSpan(4), Version);
        proof[6] = (byte)purpose;
        BinaryPrimitives.WriteInt32LittleEndian(proof.AsSpan(7), connectorRank);
        connectorNonce.CopyTo(proof, 11);
        credentials.JobIdHash.CopyTo(proof, 11 + NonceLength);
        credentials.Sign(Transcript("connect", purpose, connectorRank, acceptorRank, acceptorNonce, connectorNonce, credentials.JobId), proof.AsSpan(11 + NonceLength + 16));
        await stream.WriteAsync(proof, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        byte[] answer = new byte[VerdictLength];
        await ReadExactlyAsync(stream, answer, "the acceptor's verdict", cancellationToken).ConfigureAwait(false);
        var verdict = (Verdict)answer[0];
        if (verdict != Verdict.Accepted)
        {
            throw new ProtocolException($"Rank {acceptorRank} refused the connection: {Describe(verdict, Version, connectorRank, acceptorRank)}.");
        }

        Span<byte> expectedMac = stackalloc byte[MacLength];
        credentials.Sign(Transcript("accept", purpose, connectorRank, acceptorRank, acceptorNonce, connectorNonce, credentials.JobId), expectedMac);
        if (!CryptographicOperations.FixedTimeEquals(expectedMac, answer.AsSpan(1)))
        {
            throw new ProtocolException($"The peer claiming rank {acceptorRank} could not prove it knows the job's secret.");
        }
    }

    private static byte[] Transcript(string label, HandshakePurpose purpose, int connectorRank, int acceptorRank, ReadOnlySpan<byte> acceptorNonce, ReadOnlySpan<byte> connectorNonce, string jobId)
    {
        byte[] labelBytes = Encoding.ASCII.GetBytes("collectives-v1 " + label);
        byte[] job = Encoding.UTF8.GetBytes(jobId);
        byte[] transcript = new byte[labelBytes.Length + 1 + 8 + (2 * NonceLength) + job.Length];
        var span = transcript.AsSpan();
        labelBytes.CopyTo(span);
        span = span[labelBytes.Length..];
        span[0] = (byte)purpose;
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], connectorRank);
        BinaryPrimitives.WriteInt32LittleEndian(span[5..], acceptorRank);
        acceptorNonce.CopyTo(span[9..]);
        connectorNonce.CopyTo(span[(9 + NonceLength)..]);
        job.CopyTo(span[(9 + (2 * NonceLength))..]);
        return transcript;
    }

    private static string Describe(Verdict verdict, ushort version, int connectorRank, int acceptorRank) => verdict switch
    {
        Verdict.DuplicateRank => $"rank {connectorRank} is already connected to rank {acceptorRank} (a duplicate or late connection)",
        Verdict.UnexpectedRank => $"rank {connectorRank} is not a rank that connects to rank {acceptorRank} (only higher ranks of the job connect to a lower one)",
        Verdict.WrongVersion => $"it speaks protocol version {version}, not {Version}",
        Verdict.WrongJob => "it belongs to a different job",
        Verdict.WrongSecret => "it could not prove it knows the job's secret",
        Verdict.WrongPurpose => "it asked for a different kind of connection",
        _ => $"unknown refusal code {(byte)verdict}",
    };

    private static async ValueTask ReadExactlyAsync(Stream stream, byte[] buffer, string what, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException exception)
        {
            throw new ProtocolException($"The connection closed before {what} arrived (truncated handshake).", exception);
        }
    }
}
