using Collectives.Transport;
using Collectives.Transport.Hybrid;
using Collectives.Transport.InProcess;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// Communicators of a job whose ranks all live in this process but run, as far as the library can
/// tell, on several hosts: each rank's transport is the hybrid one the bootstrap builds across
/// hosts (a local transport among its host's ranks, a job-wide one to the rest) and carries the
/// <see cref="HostLayout"/>, so node-aware algorithms are offered. Hosts are numbered by their
/// lowest rank, their ranks consecutive.
/// </summary>
internal static class HostedJob
{
    /// <summary>The layout of consecutive ranks on hosts of <paramref name="ranksPerHost"/> ranks.</summary>
    public static HostLayout Layout(int[] ranksPerHost) => new([.. ranksPerHost.SelectMany((ranks, host) => Enumerable.Repeat(host, ranks))]);

    /// <summary>One communicator per rank, index = rank.</summary>
    public static Communicator[] Create(int[] ranksPerHost, CommunicatorOptions? options = null)
    {
        HostLayout layout = Layout(ranksPerHost);
        InProcessTransport[] wide = InProcessTransport.CreateGroup(layout.Size);
        var transports = new ITransport[layout.Size];
        for (int host = 0; host < layout.HostCount; host++)
        {
            int[] ranks = layout.RanksOn(host).ToArray();
            InProcessTransport[] local = ranks.Length > 1 ? InProcessTransport.CreateGroup(ranks.Length) : [];
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
    public static Task RunAsync(int[] ranksPerHost, CommunicatorOptions? options, Func<Communicator, Task> body)
        => Support.LocalJob.RunAsync(Create(ranksPerHost, options), body);
}
