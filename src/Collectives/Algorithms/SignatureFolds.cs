using Collectives.Execution;
using Collectives.Topology;

namespace Collectives.Algorithms;

/// <summary>
/// Which first messages of a call's algorithm carry the call's signature in place of a signature
/// message of their own (<see cref="CallVerification.SignatureExchange"/>): those a rank sends
/// before it receives anything, when every message of the call is small
/// (<see cref="CollectiveContext.FoldsSignatures"/>). The root of a broadcast or scatter sends its
/// children their data at once, and so do the leaves of a reduce or gather to their parents: on
/// those edges one frame travels instead of two. Both ends of an edge declare it from the same
/// call, so they agree whenever the calls do; when they do not, the receiver still reads the
/// sender's first message and rejects its signature.
/// <para>
/// A rank whose whole part is those sends (the root of a broadcast or scatter, a leaf of a reduce
/// or gather) sends its data before its signature messages to the other peers: everything it sends
/// still leaves before it waits for anything, and the data no longer waits behind the signatures.
/// </para>
/// </summary>
internal static class SignatureFolds
{
    /// <summary>
    /// Declares the folds of <paramref name="call"/>'s algorithm on this rank, before its signature
    /// messages go out, and returns whether this rank's whole part in the algorithm is sending
    /// folded messages (so its signature messages may follow them).
    /// </summary>
    public static bool Declare(CollectiveContext context, in CollectiveCall call)
    {
        if (!context.FoldsSignatures((int)Math.Min(LargestMessage(call, context.Size), int.MaxValue)))
        {
            return false;
        }

        return (call.Kind, call.Algorithm.Value) switch
        {
            // The root sends every child its data (or its subtree's blocks) first; the others receive first.
            (CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.BinomialTree)
                or (CollectiveKind.Scatter, (byte)ScatterAlgorithm.BinomialTree) => FromRootToChildren(context, context.BinomialTree(call.Root)),

            // A leaf only sends, to its parent; every other rank receives first.
            (CollectiveKind.Reduce, (byte)ReduceAlgorithm.BinomialTree)
                or (CollectiveKind.Gather, (byte)GatherAlgorithm.BinomialTree) => FromLeavesToParents(context, context.BinomialTree(call.Root)),

            // The root sends to every other rank, or every other rank sends to the root, and nothing else.
            (CollectiveKind.Scatter, (byte)ScatterAlgorithm.Linear) => BetweenRootAndOthers(context, call.Root, fromRoot: true),
            (CollectiveKind.Gather, (byte)GatherAlgorithm.Linear) => BetweenRootAndOthers(context, call.Root, fromRoot: false),
            _ => false,
        };
    }

    /// <summary>
    /// The bytes of the call's largest message: the whole buffer for a broadcast or reduce, every
    /// block together for a gather or scatter (no message of theirs is larger). The same on every
    /// rank of the same call (a variable-count call's signature carries a digest of its counts).
    /// </summary>
    private static long LargestMessage(in CollectiveCall call, int size)
        => call.Kind switch
        {
            CollectiveKind.Gather or CollectiveKind.Scatter => call.Blocks is { } blocks
                ? (long)blocks.Elements[blocks.Size] * call.ElementSize
                : (long)call.Count * call.ElementSize * size,
            _ => (long)call.Count * call.ElementSize,
        };

    /// <summary>Folds the root's messages to its children; true on the root, which only sends them.</summary>
    private static bool FromRootToChildren(CollectiveContext context, Tree tree)
    {
        int rank = context.Rank;
        if (rank == tree.Root)
        {
            foreach (int child in tree.Children(rank))
            {
                context.FoldSignatureInto(child);
            }

            return true;
        }

        if (tree.Parent(rank) == tree.Root)
        {
            context.FoldSignatureFrom(tree.Root);
        }

        return false;
    }

    /// <summary>Folds the leaves' messages to their parents; true on a leaf, which only sends its one.</summary>
    private static bool FromLeavesToParents(CollectiveContext context, Tree tree)
    {
        int rank = context.Rank;
        ReadOnlySpan<int> children = tree.Children(rank);
        foreach (int child in children)
        {
            if (tree.Children(child).Length == 0)
            {
                context.FoldSignatureFrom(child);
            }
        }

        if (children.Length == 0 && rank != tree.Root)
        {
            context.FoldSignatureInto(tree.Parent(rank));
            return true;
        }

        return false;
    }

    /// <summary>
    /// Folds between the root and each other rank: on the root's messages (<paramref name="fromRoot"/>)
    /// or on theirs; true on the ranks that send them, which do nothing else.
    /// </summary>
    private static bool BetweenRootAndOthers(CollectiveContext context, int root, bool fromRoot)
    {
        if (context.Rank != root)
        {
            Fold(context, root, into: !fromRoot);
            return !fromRoot;
        }

        for (int peer = 0; peer < context.Size; peer++)
        {
            if (peer != root)
            {
                Fold(context, peer, into: fromRoot);
            }
        }

        return fromRoot;
    }

    private static void Fold(CollectiveContext context, int peer, bool into)
    {
        if (into)
        {
            context.FoldSignatureInto(peer);
        }
        else
        {
            context.FoldSignatureFrom(peer);
        }
    }
}
