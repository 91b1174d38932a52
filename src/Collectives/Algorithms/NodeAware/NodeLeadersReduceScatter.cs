using System.Runtime.CompilerServices;
using Collectives.Catalog;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Transport.Hybrid;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// ReduceScatter (and ReduceScatterV) by host leaders, for small blocks: each host reduces its
/// ranks' vectors to its lowest rank through shared memory, the leaders reduce-scatter the host
/// sums over the network (one block per host: its ranks' blocks together), and each leader
/// scatters its host's blocks to their ranks. Each block is reduced along one fixed tree, so
/// every run gives the same bits.
/// </summary>
/// <remarks>
/// The phases work on the vector grouped by host, hosts in order: rank order where every host
/// runs consecutive ranks, else a copy regrouped before the first phase.
/// </remarks>
internal static class NodeLeadersReduceScatter
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        HostLayout layout = hosts.Layout;
        int elementSize = call.ElementSize;
        HostGroupedBlocks blocks = hosts.GroupBlocks(WorkingBuffers.ReduceScatterBlocks(call, receive.Length, context.Size), elementSize);
        int total = blocks.TotalBytes;
        int hostBytes = blocks.OwnHostBytes;
        int totalCount = total / elementSize;

        using ScratchBuffer grouped = layout.IsContiguous ? default : context.RentScratch(total);
        Memory<byte> vector = send;
        if (!layout.IsContiguous)
        {
            HostOrder.FromRankOrder(layout, blocks.ByRank, send.Span, grouped.Span);
            vector = grouped.Memory;
        }

        // The leader of every host is its lowest rank: place 0 of the host, and of the leaders' group rooted at rank 0.
        CollectiveContext? leaders = hosts.Leaders(0);
        using ScratchBuffer sums = leaders is not null ? context.RentScratch(total + hostBytes) : default;
        Memory<byte> hostSum = leaders is not null ? sums.Memory[..total] : default;
        Memory<byte> hostBlocks = leaders is not null ? sums.Memory.Slice(total, hostBytes) : default;

        await NodePhase.RunInHostAsync(hosts, context, 0, call with { Kind = CollectiveKind.Reduce, Root = 0, Count = totalCount, Blocks = null }, vector, hostSum, total).ConfigureAwait(false);
        if (leaders is not null)
        {
            await NodePhase.RunAsync(leaders, context, 1, call with { Count = totalCount, Blocks = hosts.HostBlocks }, hostSum, hostBlocks, total / layout.HostCount).ConfigureAwait(false);
        }

        await NodePhase.RunInHostAsync(hosts, context, 2, call with { Kind = CollectiveKind.Scatter, Root = 0, Count = hostBytes / elementSize, Blocks = hosts.LocalBlocks }, hostBlocks, receive, receive.Length).ConfigureAwait(false);
    }
}
