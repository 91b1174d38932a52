using System.Security.Cryptography;
using System.Text;

namespace Collectives.Bootstrap;

/// <summary>
/// The secret used when no <c>COLLECTIVES_SECRET</c> is given: SHA-256 of a fixed label and the
/// job id. Every rank computes the same bytes without any exchange, which keeps stray jobs and
/// leftover processes apart; it authenticates nothing, because anyone who knows the job id can
/// compute it. Real authentication needs <c>COLLECTIVES_SECRET</c>.
/// </summary>
internal static class DerivedSecret
{
    private const string Label = "collectives derived job secret v1\n";

    public static byte[] For(string jobId) => SHA256.HashData(Encoding.UTF8.GetBytes(Label + jobId));
}
