using System.Runtime.CompilerServices;
using Collectives.Catalog;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Transport.Hybrid;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// ReduceScatter (and ReduceScatterV) by slices, for large blocks on hosts of equal size: each
/// host reduce-scatters the vector through shared memory into one slice per place (local rank),
/// slice j holding the blocks of every host's j-th rank; then the ranks in each place
/// reduce-scatter their slice across hosts over the network, all places at once, so every rank
/// ends with its own block. Each rank's connection carries its own place's blocks, not a leader's
/// share of every rank's, and each block is reduced along one fixed tree: every run gives the same bits.
/// </summary>
/// <remarks>
/// The first phase works on the vector in place order (<see cref="HostOrder.ToPlaceOrder"/>): a
/// copy, unless the ranks were dealt to the hosts in turn.
/// </remarks>
internal static class NodeSlicesReduceScatter
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        HostLayout layout = hosts.Layout;
        int elementSize = call.ElementSize;
        BlockLayout blocks = WorkingBuffers.ReduceScatterBlocks(call, receive.Length, context.Size);
        hosts.GroupBlocksByPlace(blocks, elementSize);
        int total = blocks.TotalBytes;
        int place = hosts.Local.Rank;
        int sliceBytes = (hosts.SliceOffsets.Elements[place + 1] - hosts.SliceOffsets.Elements[place]) * elementSize;

        bool regroup = !HostOrder.IsPlaceOrder(layout);
        using ScratchBuffer scratch = context.RentScratch((regroup ? total : 0) + sliceBytes);
        Memory<byte> vector = send;
        if (regroup)
        {
            HostOrder.ToPlaceOrder(layout, blocks, send.Span, scratch.Span[..total]);
            vector = scratch.Memory[..total];
        }

        Memory<byte> slice = scratch.Memory.Slice(regroup ? total : 0, sliceBytes);
        await NodePhase.RunInHostAsync(hosts, context, 0, call with { Count = total / elementSize, Blocks = hosts.SliceOffsets }, vector, slice, total / hosts.Local.Size).ConfigureAwait(false);
        await NodePhase.RunAsync(hosts.Slices, context, 1, call with { Count = sliceBytes / elementSize, Blocks = hosts.PlaceBlocks }, slice, receive, receive.Length).ConfigureAwait(false);
    }
}
