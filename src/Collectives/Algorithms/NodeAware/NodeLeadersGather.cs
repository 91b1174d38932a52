using System.Runtime.CompilerServices;
using Collectives.Catalog;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Transport.Hybrid;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Gather (and GatherV) by host leaders: each host gathers its ranks' blocks to its leader through
/// shared memory (the root on its own host, the lowest rank elsewhere), then the leaders gather
/// their hosts' blocks to the root over the network (a GatherV of one block per host). The network
/// carries one message per host rather than one per rank. Verified, it checks the call as
/// <see cref="NodeLeadersReduce"/> does: the leaders hear from each other as the data passes, then
/// each host meets in its windows.
/// </summary>
/// <remarks>
/// The leaders' phase delivers the blocks grouped by host, hosts in order. Where every host runs
/// consecutive ranks that is rank order, and the root works in its receive buffer itself; elsewhere
/// in a scratch copy, whose blocks go to their ranks' places at the end. The root's own host's
/// blocks are gathered straight into their place among the others, so nothing is copied twice.
/// </remarks>
internal static class NodeLeadersGather
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        HostLayout layout = hosts.Layout;
        int elementSize = call.ElementSize;
        HostGroupedBlocks blocks = hosts.GroupBlocks(WorkingBuffers.AllgatherBlocks(call, send.Length, context.Size), elementSize);
        int total = blocks.TotalBytes;
        int hostBytes = blocks.OwnHostBytes;
        bool isRoot = context.Rank == call.Root;
        CollectiveContext? leaders = hosts.Leaders(call.Root);

        // The root holds every host's blocks (in host order); another leader only its own host's.
        using ScratchBuffer grouped = isRoot && !layout.IsContiguous ? context.RentScratch(total) : default;
        using ScratchBuffer hostScratch = leaders is not null && !isRoot ? context.RentScratch(hostBytes) : default;
        Memory<byte> work = !isRoot ? default : layout.IsContiguous ? receive : grouped.Memory;
        Memory<byte> host = isRoot ? work[blocks.OwnHost] : hostScratch.Memory;

        await NodePhase.RunInHostAsync(hosts, context, 0, call with { Root = hosts.LocalLeader(call.Root), Count = hostBytes / elementSize, Blocks = hosts.LocalBlocks }, send, host, hostBytes / hosts.Local.Size).ConfigureAwait(false);
        if (leaders is not null)
        {
            await NodePhase.RunRootedAmongLeadersAsync(leaders, context, 1, call with { Root = layout.HostOf(call.Root), Count = total / elementSize, Blocks = hosts.HostBlocks }, host, work, total / layout.HostCount).ConfigureAwait(false);
        }

        await NodePhase.MeetInHostWhenVerifiedAsync(hosts, context, 2, call).ConfigureAwait(false);

        if (isRoot && !layout.IsContiguous)
        {
            HostOrder.ToRankOrder(layout, blocks.ByRank, work.Span, receive.Span);
        }
    }
}
