using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Broadcast by host leaders: the root sends to one leader per host over the network (the root
/// leads its own host, the lowest rank leads the others), then each leader broadcasts to its host
/// through shared memory. Verified (<see cref="CallVerification.ByAlgorithm"/>), each host first
/// meets in its windows and the leaders hear from each other as the data passes
/// (<see cref="NodePhase.RunRootedAmongLeadersAsync"/>), so the root too hears from every rank: one
/// network round, where a separate check would add rounds of its own.
/// </summary>
internal static class NodeLeadersBroadcast
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        HostGroups hosts = context.Hosts!;
        await NodePhase.MeetInHostWhenVerifiedAsync(hosts, context, 2, call).ConfigureAwait(false);
        if (hosts.Leaders(call.Root) is { } leaders)
        {
            await NodePhase.RunRootedAmongLeadersAsync(leaders, context, 0, call with { Root = hosts.Layout.HostOf(call.Root) }, receive, receive, receive.Length).ConfigureAwait(false);
        }

        await NodePhase.RunInHostAsync(hosts, context, 1, call with { Root = hosts.LocalLeader(call.Root) }, receive, receive, receive.Length).ConfigureAwait(false);
    }
}
