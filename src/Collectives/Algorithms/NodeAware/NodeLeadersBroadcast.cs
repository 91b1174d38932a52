using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Broadcast by host leaders: the root sends to one leader per host over the network (the root
/// leads its own host, the lowest rank leads the others), then each leader broadcasts to its host
/// through shared memory.
/// </summary>
internal static class NodeLeadersBroadcast
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        if (hosts.Leaders(call.Root) is { } leaders)
        {
            await NodePhase.RunAsync(leaders, context, 0, call with { Root = hosts.Layout.HostOf(call.Root) }, receive, receive, receive.Length).ConfigureAwait(false);
        }

        await NodePhase.RunInHostAsync(hosts, context, 1, call with { Root = hosts.LocalLeader(call.Root) }, receive, receive, receive.Length).ConfigureAwait(false);
    }
}
