using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Allreduce by slices, for large messages on hosts of equal size: each host reduce-scatters the
/// message into one slice per local rank through shared memory, every local rank allreduces its
/// slice with the ranks in its place on the other hosts over the network (all of them at once, so
/// every rank's connection carries a share, not one leader's), and each host allgathers the
/// slices. The network carries 1/k of the message per rank with k ranks per host. Each slice is
/// reduced once and copied, so every rank ends with the same bits.
/// </summary>
internal static class NodeSlicesAllreduce
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        if (send.Span.Overlaps(receive.Span, out int offset) && offset != 0)
        {
            // A send buffer partly over the receive buffer would be overwritten before it is read.
            send.CopyTo(receive);
            send = receive;
        }

        BlockOffsets slices = hosts.CutIntoSlices(call.Count);
        var layout = BlockLayout.Variable(slices.Elements, call.ElementSize);
        Memory<byte> mine = receive[layout.Of(hosts.Local.Rank)];
        long sliceBytes = (long)receive.Length / hosts.Local.Size;
        await NodePhase.RunInHostAsync(hosts, context, 0, call with { Kind = CollectiveKind.ReduceScatter, Blocks = slices }, send, mine, sliceBytes).ConfigureAwait(false);
        await NodePhase.RunAsync(hosts.Slices, context, 1, call with { Count = mine.Length / call.ElementSize }, mine, mine, mine.Length).ConfigureAwait(false);
        await NodePhase.RunInHostAsync(hosts, context, 2, call with { Kind = CollectiveKind.Allgather, Blocks = slices }, mine, receive, sliceBytes).ConfigureAwait(false);
    }
}
