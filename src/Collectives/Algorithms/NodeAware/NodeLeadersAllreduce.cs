using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Allreduce by host leaders: each host reduces to its lowest rank through shared memory, the
/// leaders allreduce over the network, and each leader broadcasts the result to its host. One
/// message per host crosses the network in each step, so it suits small messages, and any layout
/// (hosts of different sizes too). Every rank ends with the leaders' result, bitwise the same.
/// </summary>
internal static class NodeLeadersAllreduce
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        long bytes = receive.Length;
        await NodePhase.RunInHostAsync(hosts, context, 0, call with { Kind = CollectiveKind.Reduce, Root = 0 }, send, receive, bytes).ConfigureAwait(false);
        if (hosts.Leaders(0) is { } leaders)
        {
            await NodePhase.RunAsync(leaders, context, 1, call, receive, receive, bytes).ConfigureAwait(false);
        }

        await NodePhase.RunInHostAsync(hosts, context, 2, call with { Kind = CollectiveKind.Broadcast, Root = 0 }, receive, receive, bytes).ConfigureAwait(false);
    }
}
