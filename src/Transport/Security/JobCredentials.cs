using System.Security.Cryptography;
using System.Text;

namespace Collectives.Transport.Security;

/// <summary>
/// What proves that a connection belongs to a job: the job's identifier and a shared secret.
/// Every TCP connection (between ranks, and to the rendezvous store) starts with a handshake in
/// which both sides prove knowledge of the secret without sending it.
/// </summary>
public sealed class JobCredentials
{
    /// <summary>Length in bytes of a generated secret.</summary>
    public const int GeneratedSecretLength = 32;

    private readonly byte[] _secret;

    /// <summary>Creates credentials from a job identifier and a secret.</summary>
    /// <param name="jobId">Identifies the job; ranks of different jobs refuse each other.</param>
    /// <param name="secret">The shared secret, at least 16 bytes.</param>
    public JobCredentials(string jobId, ReadOnlySpan<byte> secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        if (secret.Length < 16)
        {
            throw new ArgumentException($"A job secret must be at least 16 bytes; got {secret.Length}.", nameof(secret));
        }

        JobId = jobId;
        _secret = secret.ToArray();
        JobIdHash = SHA256.HashData(Encoding.UTF8.GetBytes(jobId)).AsSpan(0, 16).ToArray();
    }

    /// <summary>Identifies the job.</summary>
    public string JobId { get; }

    /// <summary>The first 16 bytes of SHA-256 of <see cref="JobId"/>: sent in clear so a wrong job is told apart from a wrong secret.</summary>
    internal byte[] JobIdHash { get; }

    /// <summary>Creates credentials with a fresh random secret (what a launcher does once per job).</summary>
    /// <param name="jobId">Identifies the job.</param>
    /// <returns>The credentials.</returns>
    public static JobCredentials Generate(string jobId) => new(jobId, RandomNumberGenerator.GetBytes(GeneratedSecretLength));

    /// <summary>Creates credentials from a secret in base64, as passed in the environment.</summary>
    /// <param name="jobId">Identifies the job.</param>
    /// <param name="base64Secret">The secret, base64-encoded.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="FormatException">The secret is not valid base64.</exception>
    public static JobCredentials FromBase64(string jobId, string base64Secret) => new(jobId, Convert.FromBase64String(base64Secret));

    /// <summary>The secret in base64, for passing to child processes in the environment.</summary>
    /// <returns>The base64 text.</returns>
    public string SecretToBase64() => Convert.ToBase64String(_secret);

    /// <summary>HMAC-SHA256 of <paramref name="message"/> under the secret.</summary>
    internal void Sign(ReadOnlySpan<byte> message, Span<byte> mac) => HMACSHA256.HashData(_secret, message, mac);
}
