using System.Runtime.CompilerServices;
using Collectives.Catalog;
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
    /// <summary>
    /// The first of the three phase numbers <see cref="VerifyAsync"/> runs at: apart from every
    /// node-aware algorithm's own (0 on), so a verification message is never taken for data.
    /// </summary>
    private const int VerificationPhase = 16;

    public static ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
        => RunPhasesAsync(context, call, firstPhase: 0);

    /// <summary>
    /// Verifies a node-aware call that could finish without every rank hearing from every other
    /// (an allreduce by leaders of no element, by slices shorter than the ranks; the rooted
    /// algorithms by leaders check themselves as they run): the barrier runs first, under the call's own
    /// signature, so every rank hears through checked steps from every other before any data
    /// moves. Across hosts it costs ceil(log2 hosts) network rounds where a flat dissemination
    /// round over all ranks costs ceil(log2 ranks), most of them between hosts.
    /// </summary>
    public static ValueTask VerifyAsync(CollectiveContext context, CollectiveCall call)
        => RunPhasesAsync(context, call with { Kind = CollectiveKind.Barrier, Count = 0 }, VerificationPhase);

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask RunPhasesAsync(CollectiveContext context, CollectiveCall call, int firstPhase)
    {
        HostGroups hosts = context.Hosts!;
        await NodePhase.RunInHostAsync(hosts, context, firstPhase, call, Memory<byte>.Empty, Memory<byte>.Empty, 0).ConfigureAwait(false);
        if (hosts.Leaders(0) is { } leaders)
        {
            await NodePhase.RunAsync(leaders, context, firstPhase + 1, call, Memory<byte>.Empty, Memory<byte>.Empty, 0).ConfigureAwait(false);
        }

        await NodePhase.RunInHostAsync(hosts, context, firstPhase + 2, call, Memory<byte>.Empty, Memory<byte>.Empty, 0).ConfigureAwait(false);
    }
}
