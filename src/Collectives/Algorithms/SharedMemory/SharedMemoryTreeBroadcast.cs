using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Broadcast in shared memory by the flag protocol (see <see cref="SharedMemoryContext"/>'s flag
/// calls): the root copies the data into its flag buffer, raises its flag and returns; every other
/// rank waits only for its parent's flag, copies the data out, acknowledges, and passes it on to its
/// own children the same way. Unlike <see cref="SharedMemoryBroadcast"/>, no rank waits for every
/// rank to arrive, which matters when ranks outnumber cores: the call does not wait for the
/// scheduler to have run every rank. Data larger than a flag buffer goes by <see cref="SharedMemoryBroadcast"/>.
/// </summary>
internal static class SharedMemoryTreeBroadcast
{
    /// <summary>
    /// Children per rank: flat up to 9 ranks (every rank reads the root's buffer), a tree beyond.
    /// Measured at 4 and 8 ranks on 2 cores, flat beat a binary tree at 8 B, 64 B and 4 KiB: a
    /// reader of the root need not wait for an inner rank to be scheduled, and the root's one
    /// buffer serves them all.
    /// </summary>
    private const int FanOut = 8;

    /// <summary>Broadcasts the root's <paramref name="receive"/> (the call's one buffer) into every rank's.</summary>
    public static void Run(SharedMemoryContext context, in CollectiveCall call, ReadOnlySpan<byte> send, Span<byte> receive)
    {
        if (receive.Length > context.FlagPayloadLength)
        {
            SharedMemoryBroadcast.Run(context, call, send, receive);
            return;
        }

        int rank = context.Rank;
        var tree = new FanOutTree(context.Size, call.Root, FanOut);
        context.BeginFlagCall();
        if (rank != call.Root)
        {
            context.AwaitParent(tree.Parent(rank))[..receive.Length].CopyTo(receive);
            context.Acknowledge();
        }

        if (tree.ChildCount(rank) > 0)
        {
            receive.CopyTo(context.ClaimBuffer(tree));
            context.PublishBuffer();
        }

        context.EndFlagCall();
    }
}
