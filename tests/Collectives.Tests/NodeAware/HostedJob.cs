using Collectives.Tests.Support;
using Collectives.Transport;
using Collectives.Transport.Hybrid;
using Collectives.Transport.InProcess;
using Collectives.Transport.Security;
using Collectives.Transport.SharedMemory;

namespace Collectives.Tests.NodeAware;

/// <summary>How the ranks of one emulated host reach each other.</summary>
public enum HostLink
{
    /// <summary>Through memory in this process: the phases inside a host pass messages.</summary>
    InProcess,

    /// <summary>Through a real /dev/shm segment per host (small rings and windows): the phases inside a host run in its windows.</summary>
    SharedMemory,
}

/// <summary>
/// Communicators of a job whose ranks all live in this process but run, as far as the library can
/// tell, on several hosts: each rank's transport is the hybrid one the bootstrap builds across
/// hosts (a local transport among its host's ranks, a job-wide one to the rest) and carries the
/// <see cref="HostLayout"/>, so node-aware algorithms are offered. Hosts are numbered by their
/// lowest rank, their ranks consecutive unless a layout says otherwise.
/// </summary>
internal static class HostedJob
{
    /// <summary>The layout of consecutive ranks on hosts of <paramref name="ranksPerHost"/> ranks.</summary>
    public static HostLayout Layout(int[] ranksPerHost) => new([.. ranksPerHost.SelectMany((ranks, host) => Enumerable.Repeat(host, ranks))]);

    /// <summary>One communicator per rank, index = rank.</summary>
    public static Communicator[] Create(int[] ranksPerHost, CommunicatorOptions? options = null, HostLink link = HostLink.InProcess)
        => Create(Layout(ranksPerHost), options, link);

    /// <summary>One communicator per rank of <paramref name="layout"/> (whose hosts may run ranks that are not consecutive), index = rank.</summary>
    public static Communicator[] Create(HostLayout layout, CommunicatorOptions? options = null, HostLink link = HostLink.InProcess)
    {
        InProcessTransport[] wide = InProcessTransport.CreateGroup(layout.Size);
        var transports = new ITransport[layout.Size];
        JobCredentials credentials = JobCredentials.Generate($"test-{Guid.NewGuid():N}");
        var store = new InMemoryRendezvousStore();
        for (int host = 0; host < layout.HostCount; host++)
        {
            int[] ranks = layout.RanksOn(host).ToArray();
            ITransport[] local = ranks.Length == 1 ? [] : Connect(ranks, link, credentials, store);
            for (int index = 0; index < ranks.Length; index++)
            {
                // A rank alone on its host has only the job-wide transport, as the bootstrap gives it.
                ITransport inner = ranks.Length == 1 ? wide[ranks[index]] : new HybridTransport(wide[ranks[index]], local[index], ranks);
                transports[ranks[index]] = new HostAwareTransport(inner, layout);
            }
        }

        return [.. transports.Select(transport => Communicator.Create(transport, options))];
    }

    /// <summary>Runs <paramref name="body"/> on every rank of a job on hosts of <paramref name="ranksPerHost"/> ranks and rethrows the first failure.</summary>
    public static Task RunAsync(int[] ranksPerHost, CommunicatorOptions? options, Func<Communicator, Task> body, HostLink link = HostLink.InProcess)
        => LocalJob.RunAsync(Create(ranksPerHost, options, link), body);

    // One host's local transports, index = place on the host; a shared-memory host gets the segment the bootstrap would name for it.
    private static ITransport[] Connect(int[] ranks, HostLink link, JobCredentials credentials, InMemoryRendezvousStore store) => link switch
    {
        HostLink.SharedMemory => Task.WhenAll(ranks.Select((_, index) => SharedMemoryTransport.ConnectAsync(
                index, ranks.Length, credentials, store, TestJobs.SmallSharedMemory, CancellationToken.None, group: SharedMemoryTransport.HostGroup(ranks[0]))))
            .GetAwaiter().GetResult(),
        _ => InProcessTransport.CreateGroup(ranks.Length),
    };
}
