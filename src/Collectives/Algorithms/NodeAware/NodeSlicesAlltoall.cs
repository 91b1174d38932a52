using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Transport.Hybrid;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Alltoall by places, for large blocks on hosts of equal size: each host first exchanges its
/// ranks' blocks through shared memory so that the rank at place j holds every block its host
/// sends to the place-j rank of any host; then the ranks in each place exchange across hosts over
/// the network, all places at once, one message per pair of hosts holding the host's blocks for
/// that rank. Every block crosses the network once, as in the flat exchange, but a rank's host
/// mates are served by one copy in the windows instead of messages through the rings, and each
/// rank sends a message per other host instead of one per rank there. Equal blocks only (not AlltoallV).
/// </summary>
internal static class NodeSlicesAlltoall
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        HostLayout layout = hosts.Layout;
        int blockBytes = send.Length / context.Size;
        int total = send.Length;

        // Two buffers of the send buffer's size: the first phase's outgoing and incoming blocks; the
        // second phase's outgoing blocks reuse the first, its incoming ones the second, once read.
        using ScratchBuffer scratch = context.RentScratch(2 * total);
        Memory<byte> outgoing = scratch.Memory[..total];
        Memory<byte> incoming = scratch.Memory.Slice(total, total);

        ToPlaceOrder(layout, blockBytes, send.Span, outgoing.Span);
        CollectiveCall inHost = call with { Count = total / call.ElementSize, SendBlocks = null, Blocks = null };
        await NodePhase.RunInHostAsync(hosts, context, 0, inHost, outgoing, incoming, total / hosts.Local.Size).ConfigureAwait(false);

        ToHostOrder(layout, blockBytes, incoming.Span, outgoing.Span);
        await NodePhase.RunAsync(hosts.Slices, context, 1, inHost, outgoing, incoming, total / layout.HostCount).ConfigureAwait(false);

        ToRankOrder(layout, blockBytes, incoming.Span, receive.Span);
    }

    /// <summary>
    /// From this rank's blocks in destination rank order to one run per local place j (what goes to
    /// the host mate at place j), each holding the blocks for place j of every host, hosts in order.
    /// </summary>
    private static void ToPlaceOrder(HostLayout layout, int blockBytes, ReadOnlySpan<byte> send, Span<byte> byPlace)
    {
        int offset = 0;
        for (int place = 0; place < layout.LargestHost; place++)
        {
            for (int host = 0; host < layout.HostCount; host++)
            {
                send.Slice(layout.RanksOn(host)[place] * blockBytes, blockBytes).CopyTo(byPlace[offset..]);
                offset += blockBytes;
            }
        }
    }

    /// <summary>
    /// From the runs received from each host mate (source place s: its blocks for this place on
    /// every host) to one run per destination host (every host mate's block for that host's rank at
    /// this place, in place order): what the place's exchange across hosts sends.
    /// </summary>
    private static void ToHostOrder(HostLayout layout, int blockBytes, ReadOnlySpan<byte> byPlace, Span<byte> byHost)
    {
        int places = layout.LargestHost;
        for (int host = 0; host < layout.HostCount; host++)
        {
            for (int source = 0; source < places; source++)
            {
                byPlace.Slice(((source * layout.HostCount) + host) * blockBytes, blockBytes).CopyTo(byHost[(((host * places) + source) * blockBytes)..]);
            }
        }
    }

    /// <summary>
    /// From the runs received from each host (its ranks' blocks for this rank, in place order) to
    /// the receive buffer in source rank order.
    /// </summary>
    private static void ToRankOrder(HostLayout layout, int blockBytes, ReadOnlySpan<byte> byHost, Span<byte> receive)
    {
        int places = layout.LargestHost;
        for (int host = 0; host < layout.HostCount; host++)
        {
            for (int source = 0; source < places; source++)
            {
                byHost.Slice(((host * places) + source) * blockBytes, blockBytes).CopyTo(receive[(layout.RanksOn(host)[source] * blockBytes)..]);
            }
        }
    }
}
