using Collectives.Catalog;
using Collectives.Execution;
using Collectives.Selection;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// One phase of a node-aware algorithm: a collective among a group of ranks (one host's, or one
/// per host), run by the message algorithm the built-in table picks for the group's size and the
/// phase's bytes, exactly as a flat communicator of that group would run it. The table decides;
/// the node-aware algorithms only say which collective runs where.
/// </summary>
internal static class NodePhase
{
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
        CollectiveAlgorithm algorithm = AlgorithmSelector.BuiltIn.Select(call.Kind, selectionBytes, group.Size, AlgorithmAvailability.MessagesOnly);
        return algorithm.RunAsync(group.EnterPhase(communicator, phase), call with { Algorithm = algorithm }, send, receive);
    }
}
