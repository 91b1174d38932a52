using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Transport.Hybrid;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Alltoall by host leaders, for small blocks: each host gathers its ranks' send buffers to its
/// lowest rank through shared memory, the leaders exchange, for every pair of hosts, the blocks
/// from one host's ranks to the other's in one message (an AlltoallV of one block run per host),
/// and each leader scatters to every rank of its host the blocks addressed to it, in source rank
/// order. The network carries one message per pair of hosts instead of one per pair of ranks.
/// Equal blocks only (not AlltoallV): the leaders would need every rank's counts.
/// </summary>
internal static class NodeLeadersAlltoall
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        int blockBytes = send.Length / context.Size;
        int hostBytes = hosts.Local.Size * send.Length;
        CollectiveContext? leaders = hosts.Leaders(0);

        // A leader gathers its host's send buffers, then regroups them by destination host (outgoing),
        // takes the other hosts' runs (incoming) and regroups those into rows by destination rank,
        // in the gathered buffer again: three buffers of the host's send buffers.
        using ScratchBuffer scratch = leaders is not null ? context.RentScratch(3 * hostBytes) : default;
        Memory<byte> byRank = leaders is not null ? scratch.Memory[..hostBytes] : default;
        Memory<byte> outgoing = leaders is not null ? scratch.Memory.Slice(hostBytes, hostBytes) : default;
        Memory<byte> incoming = leaders is not null ? scratch.Memory.Slice(2 * hostBytes, hostBytes) : default;

        // The leader of every host is its lowest rank: place 0 of the host, and of the leaders' group rooted at rank 0.
        await NodePhase.RunInHostAsync(hosts, context, 0, call with { Kind = CollectiveKind.Gather, Root = 0, Count = send.Length / call.ElementSize }, send, byRank, send.Length).ConfigureAwait(false);
        if (leaders is not null)
        {
            BlockOffsets pairs = hosts.PairBlocks(blockBytes / call.ElementSize);
            ToHostPairOrder(hosts.Layout, hosts.Host, blockBytes, byRank.Span, outgoing.Span);

            // One message per host pair, of different sizes on hosts of different sizes: the table's
            // choice for AlltoallV (every block at once), as the communicator makes it for AlltoallV.
            await NodePhase.RunAsync(leaders, context, 1, call with { Count = 0, SendBlocks = pairs, Blocks = pairs }, outgoing, incoming, int.MaxValue).ConfigureAwait(false);
            ToDestinationOrder(hosts.Layout, hosts.Host, blockBytes, incoming.Span, byRank.Span);
        }

        await NodePhase.RunInHostAsync(hosts, context, 2, call with { Kind = CollectiveKind.Scatter, Root = 0, Count = receive.Length / call.ElementSize }, byRank, receive, receive.Length).ConfigureAwait(false);
    }

    /// <summary>
    /// From the host's send buffers, gathered in local order (each in destination rank order), to
    /// one run per destination host, hosts in order: each local source's blocks for that host's ranks.
    /// </summary>
    private static void ToHostPairOrder(HostLayout layout, int host, int blockBytes, ReadOnlySpan<byte> gathered, Span<byte> byHostPair)
    {
        int locals = layout.RanksOn(host).Length;
        int rowBytes = layout.Size * blockBytes;
        int offset = 0;
        for (int destinationHost = 0; destinationHost < layout.HostCount; destinationHost++)
        {
            for (int source = 0; source < locals; source++)
            {
                foreach (int destination in layout.RanksOn(destinationHost))
                {
                    gathered.Slice((source * rowBytes) + (destination * blockBytes), blockBytes).CopyTo(byHostPair[offset..]);
                    offset += blockBytes;
                }
            }
        }
    }

    /// <summary>
    /// From the runs received, one per source host (each source's blocks for this host's ranks), to
    /// one row per local destination rank holding its blocks in source rank order: what the scatter hands out.
    /// </summary>
    private static void ToDestinationOrder(HostLayout layout, int host, int blockBytes, ReadOnlySpan<byte> byHostPair, Span<byte> rows)
    {
        int locals = layout.RanksOn(host).Length;
        Span<int> runStart = layout.HostCount <= 256 ? stackalloc int[layout.HostCount] : new int[layout.HostCount];
        for (int sourceHost = 0, start = 0; sourceHost < layout.HostCount; sourceHost++)
        {
            runStart[sourceHost] = start;
            start += layout.RanksOn(sourceHost).Length * locals * blockBytes;
        }

        int rowBytes = layout.Size * blockBytes;
        for (int destination = 0; destination < locals; destination++)
        {
            for (int source = 0; source < layout.Size; source++)
            {
                int run = runStart[layout.HostOf(source)];
                int inRun = ((layout.LocalIndex(source) * locals) + destination) * blockBytes;
                byHostPair.Slice(run + inRun, blockBytes).CopyTo(rows[((destination * rowBytes) + (source * blockBytes))..]);
            }
        }
    }
}
