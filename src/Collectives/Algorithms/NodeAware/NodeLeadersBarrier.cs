using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Barrier by host leaders: a barrier inside each host, one among the hosts' lowest ranks, and
/// another inside each host. No rank leaves the last before its leader left the second, which
/// needed every leader to enter it, each after its whole host entered the first.
/// </summary>
internal static class NodeLeadersBarrier
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        await NodePhase.RunInHostAsync(hosts, context, 0, call, send, receive, 0).ConfigureAwait(false);
        if (hosts.Leaders(0) is { } leaders)
        {
            await NodePhase.RunAsync(leaders, context, 1, call, send, receive, 0).ConfigureAwait(false);
        }

        await NodePhase.RunInHostAsync(hosts, context, 2, call, send, receive, 0).ConfigureAwait(false);
    }
}
