using System.Diagnostics;
using System.Runtime.CompilerServices;
using Collectives.Algorithms.SharedMemory;
using Collectives.Catalog;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Selection;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// One phase of a node-aware algorithm: a collective among a group of ranks (one host's, or one
/// per host), run by the algorithm the built-in table picks for the group's size and the phase's
/// bytes, exactly as a flat communicator of that group would run it: inside a host whose ranks
/// share a segment, a window algorithm; elsewhere a message algorithm. The table decides; the
/// node-aware algorithms only say which collective runs where.
/// </summary>
internal static class NodePhase
{
    /// <summary>What a group whose ranks share one segment can run: messages and windows.</summary>
    private static readonly AlgorithmAvailability OneSegment = new(windows: true, offload: null, "shm");

    /// <summary>
    /// Runs <paramref name="call"/> among this host's ranks: in their shared-memory windows when
    /// they have them (on this thread, as the communicator runs any window call), else as messages.
    /// </summary>
    /// <param name="hosts">The communicator's host groups.</param>
    /// <param name="communicator">The whole communicator's context: the call's signature and deadline.</param>
    /// <param name="phase">The phase's number (see <see cref="RunAsync"/>).</param>
    /// <param name="call">The phase's call.</param>
    /// <param name="send">The phase's send buffer.</param>
    /// <param name="receive">The phase's receive buffer.</param>
    /// <param name="selectionBytes">The bytes the table selects by.</param>
    public static ValueTask RunInHostAsync(HostGroups hosts, CollectiveContext communicator, int phase, CollectiveCall call, Memory<byte> send, Memory<byte> receive, long selectionBytes)
    {
        SharedMemoryContext? windows = hosts.LocalWindows;
        CollectiveAlgorithm? algorithm = windows is null ? null : AlgorithmSelector.BuiltIn.Select(call.Kind, selectionBytes, windows.Size, OneSegment);
        if (windows is null || algorithm is not { Model: ExecutionModel.Windows })
        {
            return RunAsync(hosts.Local, communicator, phase, call, send, receive, selectionBytes);
        }

        // Every phase in the windows compares the ranks' signatures at its first step, so the host's
        // ranks verify each other there as they would by messages. The windows keep their own
        // deadline, a whole timeout from the phase's start.
        windows.Begin(communicator.Signature, call.Kernel, verify: true, communicator.Timeout, Stopwatch.GetTimestamp(), communicator.UserCancellationToken);
        try
        {
            algorithm.Run(windows, call with { Algorithm = algorithm }, send.Span, receive.Span);
        }
        finally
        {
            windows.End();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <paramref name="call"/> (its kind, root, count and blocks already the phase's) in <paramref name="group"/>.</summary>
    /// <param name="group">The ranks taking part, from <see cref="HostGroups"/>.</param>
    /// <param name="communicator">The whole communicator's context: the call's signature and deadline.</param>
    /// <param name="phase">The phase's number, distinct within the algorithm, so its messages are told apart from another phase's.</param>
    /// <param name="call">The phase's call.</param>
    /// <param name="send">The phase's send buffer.</param>
    /// <param name="receive">The phase's receive buffer.</param>
    /// <param name="selectionBytes">The bytes the table selects by (one rank's buffer, or one block for the block collectives).</param>
    public static ValueTask RunAsync(CollectiveContext group, CollectiveContext communicator, int phase, CollectiveCall call, Memory<byte> send, Memory<byte> receive, long selectionBytes)
    {
        CollectiveAlgorithm algorithm = MessageAlgorithm(call.Kind, selectionBytes, group.Size);
        return algorithm.RunAsync(group.EnterPhase(communicator, phase), call with { Algorithm = algorithm }, send, receive);
    }

    /// <summary>
    /// The leaders' phase of a rooted algorithm by host leaders (broadcast, reduce, gather,
    /// scatter), whose root or leaves would only send. Verified (<see cref="CallVerification.ByAlgorithm"/>),
    /// every leader hears from every other within it, whatever the phase's algorithm: on up to
    /// <see cref="CollectiveAlgorithm.SignatureExchangeMaxRanks"/> leaders each sends every other
    /// its signature ahead of the data, or in its first data message, and reads each one's before
    /// that one's data (the rest at the end: <see cref="SignatureExchange"/>), so the check costs no
    /// round of its own; on more, a dissemination round runs first.
    /// Unverified, it is <see cref="RunAsync"/>.
    /// </summary>
    /// <param name="leaders">The leaders, from <see cref="HostGroups.Leaders"/>.</param>
    /// <param name="communicator">The whole communicator's context: the call's signature and deadline.</param>
    /// <param name="phase">The phase's number.</param>
    /// <param name="call">The phase's call.</param>
    /// <param name="send">The phase's send buffer.</param>
    /// <param name="receive">The phase's receive buffer.</param>
    /// <param name="selectionBytes">The bytes the table selects by.</param>
    public static ValueTask RunRootedAmongLeadersAsync(CollectiveContext leaders, CollectiveContext communicator, int phase, CollectiveCall call, Memory<byte> send, Memory<byte> receive, long selectionBytes)
        => call.Verification == CallVerification.ByAlgorithm
            ? RunHearingFromAllAsync(leaders, communicator, phase, call, send, receive, selectionBytes)
            : RunAsync(leaders, communicator, phase, call, send, receive, selectionBytes);

    /// <summary>
    /// When the call is verified, a barrier among this host's ranks under the call's signature (a
    /// step in the windows, or messages): what a rooted algorithm by host leaders adds so that the
    /// leader has heard from its host before the leaders meet (broadcast, scatter) or the host hears
    /// from its leader after (reduce, gather). Unverified, nothing.
    /// </summary>
    public static ValueTask MeetInHostWhenVerifiedAsync(HostGroups hosts, CollectiveContext communicator, int phase, CollectiveCall call)
        => call.Verification == CallVerification.ByAlgorithm
            ? RunInHostAsync(hosts, communicator, phase, call with { Kind = CollectiveKind.Barrier, Count = 0 }, Memory<byte>.Empty, Memory<byte>.Empty, 0)
            : ValueTask.CompletedTask;

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask RunHearingFromAllAsync(CollectiveContext group, CollectiveContext communicator, int phase, CollectiveCall call, Memory<byte> send, Memory<byte> receive, long selectionBytes)
    {
        CollectiveAlgorithm algorithm = MessageAlgorithm(call.Kind, selectionBytes, group.Size);
        CollectiveContext leaders = group.EnterPhase(communicator, phase);
        if (leaders.Size > CollectiveAlgorithm.SignatureExchangeMaxRanks)
        {
            await DisseminationBarrier.VerifyAsync(leaders).ConfigureAwait(false);
            await algorithm.RunAsync(leaders, call with { Algorithm = algorithm }, send, receive).ConfigureAwait(false);
            return;
        }

        await SignatureExchange.RunAsync(leaders, call with { Algorithm = algorithm }, send, receive).ConfigureAwait(false);
    }

    /// <summary>The message algorithm a phase of <paramref name="kind"/> runs among <paramref name="groupSize"/> ranks (one per host, or a host's without windows).</summary>
    public static CollectiveAlgorithm MessageAlgorithm(CollectiveKind kind, long selectionBytes, int groupSize)
        => AlgorithmSelector.BuiltIn.Select(kind, selectionBytes, groupSize, AlgorithmAvailability.MessagesOnly);
}
