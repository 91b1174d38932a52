using System.Text;
using Collectives.Transport;
using Collectives.Transport.Hybrid;
using Collectives.Transport.SharedMemory;
using Collectives.Transport.Tcp;

namespace Collectives.Bootstrap;

/// <summary>
/// Connects the transport <c>COLLECTIVES_TRANSPORT</c> asks for: <c>auto</c> (the default) uses
/// shared memory between ranks on one host and TCP between hosts, <c>shm</c> insists on shared
/// memory (every rank on one host), <c>tcp</c> uses TCP only. Ranks learn who shares their host
/// from the rendezvous store (<see cref="HostIdentity"/>: host name plus boot id), and who shares
/// their machine (its boot id: containers and network namespaces of one machine are hosts of
/// their own but share its processors).
/// </summary>
internal static class TransportConnector
{
    public const string Auto = "auto";
    public const string Tcp = "tcp";
    public const string SharedMemory = "shm";

    /// <summary>Whether <paramref name="requested"/> names one of these transports (unset means auto).</summary>
    public static bool IsTransport(string? requested) => Normalize(requested) is Auto or Tcp or SharedMemory;

    /// <summary>Checks the requested transport name before anything is started.</summary>
    public static string Choose(string? requested)
        => IsTransport(requested)
            ? Normalize(requested)
            : throw new NotSupportedException($"{LaunchVariables.Transport}={requested} is not a transport; use auto, shm or tcp.");

    private static string Normalize(string? requested) => string.IsNullOrWhiteSpace(requested) ? Auto : requested.Trim().ToLowerInvariant();

    public static async Task<ITransport> ConnectAsync(
        string choice, LaunchInfo launch, Transport.Security.JobCredentials credentials, IRendezvousStore store,
        Func<TcpTransportOptions> tcpOptions, SharedMemoryTransportOptions sharedMemoryOptions, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string[] hosts = await ExchangeHostsAsync(launch, store, timeout, cancellationToken).ConfigureAwait(false);

        // Hosts that are containers or network namespaces of one machine share its processors:
        // waits spin only while the ranks there do not outnumber them.
        string machine = HostIdentity.MachineOf(hosts[launch.Rank]);
        int machineRanks = hosts.Count(host => HostIdentity.MachineOf(host) == machine);
        sharedMemoryOptions = sharedMemoryOptions.ForMachine(machineRanks);
        Func<TcpTransportOptions> wideOptions = () => tcpOptions().ForMachine(machineRanks);
        if (choice == Tcp)
        {
            return await TcpTransport.ConnectAsync(launch.Rank, launch.Size, credentials, store, wideOptions(), cancellationToken).ConfigureAwait(false);
        }

        int[] local = [.. Enumerable.Range(0, launch.Size).Where(rank => hosts[rank] == hosts[launch.Rank])];
        if (choice == SharedMemory && local.Length != launch.Size)
        {
            throw new NotSupportedException(
                $"{LaunchVariables.Transport}=shm needs every rank on one host, but the ranks run on {hosts.Distinct().Count()} hosts: "
                + string.Join("; ", hosts.Select((host, rank) => (host, rank)).GroupBy(entry => entry.host)
                    .Select(group => $"ranks {string.Join(",", group.Select(entry => entry.rank))} on {group.Key.Split('/')[0]}"))
                + ". Use auto (shared memory within a host, TCP between hosts) or tcp.");
        }

        if (local.Length == launch.Size)
        {
            return await SharedMemoryTransport.ConnectAsync(launch.Rank, launch.Size, credentials, store, sharedMemoryOptions, cancellationToken).ConfigureAwait(false);
        }

        // Every rank of a job across hosts learns the layout, a rank alone on its host too: the
        // communicator offers node-aware algorithms by it, and every rank must offer the same.
        HostLayout layout = HostLayout.FromIdentities(hosts);
        TcpTransport wide = await TcpTransport.ConnectAsync(launch.Rank, launch.Size, credentials, store, wideOptions(), cancellationToken).ConfigureAwait(false);
        if (local.Length == 1)
        {
            return new HostAwareTransport(wide, layout);
        }

        try
        {
            SharedMemoryTransport shared = await SharedMemoryTransport.ConnectAsync(
                Array.IndexOf(local, launch.Rank), local.Length, credentials, store, sharedMemoryOptions, cancellationToken, group: SharedMemoryTransport.HostGroup(local[0])).ConfigureAwait(false);
            return new HostAwareTransport(new HybridTransport(wide, shared, local), layout);
        }
        catch
        {
            await wide.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Every rank's host identity; a rank that cannot share memory gets one no other rank has.</summary>
    private static async Task<string[]> ExchangeHostsAsync(LaunchInfo launch, IRendezvousStore store, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string mine = SharedMemoryTransport.IsSupported ? HostIdentity.Current : $"{HostIdentity.Current}/no-shm-rank-{launch.Rank}";
        await store.SetAsync($"host/{launch.Rank}", Encoding.UTF8.GetBytes(mine), cancellationToken).ConfigureAwait(false);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        giveUp.CancelAfter(timeout);
        string[] hosts = new string[launch.Size];
        for (int rank = 0; rank < launch.Size; rank++)
        {
            try
            {
                hosts[rank] = rank == launch.Rank ? mine : Encoding.UTF8.GetString(await store.GetAsync($"host/{rank}", giveUp.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new PeerFailedException(rank, $"it did not join the job within {timeout.TotalSeconds:0.###} s");
            }
        }

        return hosts;
    }
}
