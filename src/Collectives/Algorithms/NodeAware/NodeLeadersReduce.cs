using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Reduce by host leaders: each host reduces to its leader through shared memory (the root on its
/// own host, the lowest rank elsewhere), then the leaders reduce to the root over the network.
/// Verified (<see cref="CallVerification.ByAlgorithm"/>), the leaders hear from each other as the
/// data passes (<see cref="NodePhase.RunRootedAmongLeadersAsync"/>) and each host then meets in its
/// windows, so the leaves too hear from every rank, with no network round of its own.
/// </summary>
internal static class NodeLeadersReduce
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        CollectiveContext? leaders = hosts.Leaders(call.Root);
        bool isRoot = context.Rank == call.Root;

        // A leader that is not the root may have no receive buffer (it is ignored off the root): it works in scratch.
        using ScratchBuffer scratch = leaders is not null && !isRoot ? context.RentScratch(send.Length) : default;
        Memory<byte> work = isRoot ? receive : scratch.Memory;
        await NodePhase.RunInHostAsync(hosts, context, 0, call with { Root = hosts.LocalLeader(call.Root) }, send, work, send.Length).ConfigureAwait(false);
        if (leaders is not null)
        {
            await NodePhase.RunRootedAmongLeadersAsync(leaders, context, 1, call with { Root = hosts.Layout.HostOf(call.Root) }, work, work, send.Length).ConfigureAwait(false);
        }

        await NodePhase.MeetInHostWhenVerifiedAsync(hosts, context, 2, call).ConfigureAwait(false);
    }
}
