using System.Runtime.CompilerServices;
using Collectives.Catalog;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Transport.Hybrid;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Allgather (and AllgatherV) by host leaders: each host gathers its ranks' blocks to its lowest
/// rank through shared memory, the leaders exchange their hosts' blocks over the network (an
/// AllgatherV of one block per host), and each leader broadcasts everything to its host. The
/// network carries each host's blocks once per other host, not once per rank.
/// </summary>
/// <remarks>
/// The phases work on the blocks grouped by host, hosts in order. Where every host runs
/// consecutive ranks that is rank order, and they work in the receive buffer itself; elsewhere in
/// a scratch copy, whose blocks go to their ranks' places at the end.
/// </remarks>
internal static class NodeLeadersAllgather
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        HostLayout layout = hosts.Layout;
        int elementSize = call.ElementSize;
        HostGroupedBlocks blocks = hosts.GroupBlocks(WorkingBuffers.AllgatherBlocks(call, send.Length, context.Size), elementSize);
        int total = blocks.TotalBytes;

        using ScratchBuffer grouped = layout.IsContiguous ? default : context.RentScratch(total);
        Memory<byte> work = layout.IsContiguous ? receive : grouped.Memory;
        Memory<byte> host = work[blocks.OwnHost];
        int totalCount = total / elementSize;

        // The leader of every host is its lowest rank, place 0 of the host and of the leaders' group as rooted at rank 0.
        await NodePhase.RunInHostAsync(hosts, context, 0, call with { Kind = CollectiveKind.Gather, Root = 0, Count = host.Length / elementSize, Blocks = hosts.LocalBlocks }, send, host, host.Length / hosts.Local.Size).ConfigureAwait(false);
        if (hosts.Leaders(0) is { } leaders)
        {
            await NodePhase.RunAsync(leaders, context, 1, call with { Count = totalCount, Blocks = hosts.HostBlocks }, host, work, total / layout.HostCount).ConfigureAwait(false);
        }

        await NodePhase.RunInHostAsync(hosts, context, 2, call with { Kind = CollectiveKind.Broadcast, Root = 0, Count = totalCount, Blocks = null }, work, work, total).ConfigureAwait(false);
        if (!layout.IsContiguous)
        {
            HostOrder.ToRankOrder(layout, blocks.ByRank, work.Span, receive.Span);
        }
    }
}
