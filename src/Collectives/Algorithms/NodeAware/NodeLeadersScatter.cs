using System.Runtime.CompilerServices;
using Collectives.Catalog;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Transport.Hybrid;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Scatter (and ScatterV) by host leaders, the mirror of <see cref="NodeLeadersGather"/>: the root
/// scatters every host's blocks to the host's leader over the network (a ScatterV of one block per
/// host; the root leads its own host, the lowest rank the others), then each leader scatters its
/// host's blocks to their ranks through shared memory. Verified, it checks the call as
/// <see cref="NodeLeadersBroadcast"/> does: each host meets in its windows first, then the leaders
/// hear from each other as the data passes.
/// </summary>
/// <remarks>
/// The leaders' phase sends the blocks grouped by host, hosts in order: on the root its send buffer
/// itself where every host runs consecutive ranks, else a copy regrouped first. The root's own
/// host's blocks are scattered inside the host from where they lie; the send buffer is only read.
/// </remarks>
internal static class NodeLeadersScatter
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        HostLayout layout = hosts.Layout;
        int elementSize = call.ElementSize;
        HostGroupedBlocks blocks = hosts.GroupBlocks(WorkingBuffers.AllgatherBlocks(call, receive.Length, context.Size), elementSize);
        int total = blocks.TotalBytes;
        int hostBytes = blocks.OwnHostBytes;
        bool isRoot = context.Rank == call.Root;
        CollectiveContext? leaders = hosts.Leaders(call.Root);

        using ScratchBuffer grouped = isRoot && !layout.IsContiguous ? context.RentScratch(total) : default;
        using ScratchBuffer hostScratch = leaders is not null ? context.RentScratch(hostBytes) : default;
        Memory<byte> work = default;
        if (isRoot)
        {
            work = layout.IsContiguous ? send : grouped.Memory;
            if (!layout.IsContiguous)
            {
                HostOrder.FromRankOrder(layout, blocks.ByRank, send.Span, work.Span);
            }
        }

        // The root's own host's blocks already lie in its send buffer, and the host's scatter reads
        // them there; the leaders' scatter copies them into scratch instead, since an algorithm may
        // write its root's block (with the same bytes) and the caller's send buffer is never written.
        await NodePhase.MeetInHostWhenVerifiedAsync(hosts, context, 2, call).ConfigureAwait(false);
        if (leaders is not null)
        {
            await NodePhase.RunRootedAmongLeadersAsync(leaders, context, 0, call with { Root = layout.HostOf(call.Root), Count = total / elementSize, Blocks = hosts.HostBlocks }, work, hostScratch.Memory, total / layout.HostCount).ConfigureAwait(false);
        }

        Memory<byte> host = isRoot ? work[blocks.OwnHost] : hostScratch.Memory;

        await NodePhase.RunInHostAsync(hosts, context, 1, call with { Root = hosts.LocalLeader(call.Root), Count = hostBytes / elementSize, Blocks = hosts.LocalBlocks }, host, receive, hostBytes / hosts.Local.Size).ConfigureAwait(false);
    }
}
