using System.Net;
using System.Net.Sockets;
using Collectives.Transport.Security;

namespace Collectives.Bootstrap;

/// <summary>
/// Who this process is in its job and how to find the others, as <see cref="LaunchEnvironment.Detect(Func{string, string?})"/>
/// read it from the launcher's environment variables.
/// </summary>
/// <param name="Launcher">The launcher whose variables were used.</param>
/// <param name="Rank">This process's rank, 0 to <paramref name="Size"/> - 1.</param>
/// <param name="Size">Number of ranks in the job.</param>
/// <param name="LocalRank">This process's index among the ranks on its host (0 when the launcher does not say).</param>
/// <param name="RendezvousHost">Host name or address of the rendezvous server (IPv6 without brackets).</param>
/// <param name="RendezvousPort">Port of the rendezvous server.</param>
/// <param name="HostsRendezvous">True when this process must start the rendezvous server (rank 0 under a
/// launcher other than collrun, which hosts it itself); see <see cref="RendezvousBindEndPoint"/>.</param>
/// <param name="JobId">Identifies the job: <c>COLLECTIVES_JOB_ID</c>, else the launcher's own job id, else a fallback built from the rendezvous address and size.</param>
/// <param name="Secret">The job's secret in base64 from <c>COLLECTIVES_SECRET</c>, or null when none was given
/// (then <see cref="CreateCredentials"/> derives one from the job id, which does not authenticate).</param>
/// <param name="Transport">The transport named by <c>COLLECTIVES_TRANSPORT</c>, or null to let the library choose.</param>
public sealed record LaunchInfo(
    LauncherKind Launcher,
    int Rank,
    int Size,
    int LocalRank,
    string RendezvousHost,
    int RendezvousPort,
    bool HostsRendezvous,
    string JobId,
    string? Secret,
    string? Transport)
{
    /// <summary>Where clients reach the rendezvous server: an <see cref="IPEndPoint"/> for an address, a <see cref="DnsEndPoint"/> for a name.</summary>
    public EndPoint RendezvousEndPoint => IPAddress.TryParse(RendezvousHost, out IPAddress? address)
        ? new IPEndPoint(address, RendezvousPort)
        : new DnsEndPoint(RendezvousHost, RendezvousPort);

    /// <summary>
    /// Where the hosting rank listens: the loopback address when the rendezvous host is a loopback
    /// address (127.0.0.1, ::1), since no other machine could reach it there anyway; otherwise
    /// every interface (IPv4 and IPv6 when the machine has IPv6), because the host in
    /// <c>MASTER_ADDR</c> is often a service name, another interface's address, or <c>localhost</c>
    /// as seen by rank 0 itself (some training operators give rank 0 that), none of which this
    /// process can bind as such. The handshake keeps strangers out.
    /// </summary>
    public IPEndPoint RendezvousBindEndPoint
        => IPAddress.TryParse(RendezvousHost, out IPAddress? address) && IPAddress.IsLoopback(address)
            ? new IPEndPoint(address, RendezvousPort)
            : new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, RendezvousPort);

    /// <summary>True when no <c>COLLECTIVES_SECRET</c> was given and the secret is derived from the job id (no authentication).</summary>
    public bool IsSecretDerived => Secret is null;

    /// <summary>The credentials every connection of the job proves: <see cref="Secret"/>, or one derived from <see cref="JobId"/>.</summary>
    /// <returns>The credentials.</returns>
    public JobCredentials CreateCredentials()
        => Secret is null ? new JobCredentials(JobId, DerivedSecret.For(JobId)) : JobCredentials.FromBase64(JobId, Secret);

    /// <summary>Describes the launch without revealing the secret (safe to log).</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => $"{Launcher} rank {Rank} of {Size} (local rank {LocalRank}), rendezvous {RendezvousHost}:{RendezvousPort}"
            + $"{(HostsRendezvous ? " hosted here" : string.Empty)}, job {JobId}, secret {(Secret is null ? "derived from the job id" : "given")}"
            + $"{(Transport is null ? string.Empty : $", transport {Transport}")}";
}
