using Collectives.Algorithms;
using Collectives.Algorithms.NodeAware;
using Collectives.Algorithms.SharedMemory;

namespace Collectives.Catalog;

/// <summary>
/// Every algorithm of every collective, one row each: the one list that selection strings, the
/// per-call algorithm enums, call signatures, metrics tags, collbench and the docs read. Adding an
/// algorithm is its file, its enum member, and a row here.
/// </summary>
internal static class AlgorithmCatalog
{
    /// <summary>The rows, grouped by collective.</summary>
    public static IReadOnlyList<CollectiveAlgorithm> All { get; } =
    [
        Barrier(BarrierAlgorithm.Dissemination, "dissemination", static (context, _, _, _) => DisseminationBarrier.RunAsync(context)),
        CollectiveAlgorithm.InWindows(CollectiveKind.Barrier, (byte)BarrierAlgorithm.SharedMemory, "shm", SharedMemoryBarrier.Run),
        CollectiveAlgorithm.Offloaded(CollectiveKind.Barrier, (byte)BarrierAlgorithm.Offload),
        CollectiveAlgorithm.NodeAware(CollectiveKind.Barrier, (byte)BarrierAlgorithm.NodeLeaders, "node_leaders", NodeLeadersBarrier.RunAsync, SelfVerification.Always),

        Broadcast(BroadcastAlgorithm.BinomialTree, "binomial", BinomialTreeBroadcast.RunAsync),
        Broadcast(BroadcastAlgorithm.ScatterAllgather, "scatter_allgather", ScatterAllgatherBroadcast.RunAsync),
        CollectiveAlgorithm.InWindows(CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.SharedMemory, "shm", SharedMemoryBroadcast.Run),
        CollectiveAlgorithm.InWindows(CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.SharedMemoryTree, "shm_tree", SharedMemoryTreeBroadcast.Run),
        CollectiveAlgorithm.Offloaded(CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.Offload),
        CollectiveAlgorithm.NodeAware(CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.NodeLeaders, "node_leaders", NodeLeadersBroadcast.RunAsync, SelfVerification.WhenVerified),

        Reduce(ReduceAlgorithm.BinomialTree, "binomial", BinomialTreeReduce.RunAsync),
        Reduce(ReduceAlgorithm.Rabenseifner, "rabenseifner", RabenseifnerReduce.RunAsync),
        CollectiveAlgorithm.InWindows(CollectiveKind.Reduce, (byte)ReduceAlgorithm.SharedMemoryFlat, "shm_flat", SharedMemoryFlatReduce.Run),
        CollectiveAlgorithm.InWindows(CollectiveKind.Reduce, (byte)ReduceAlgorithm.SharedMemoryReduceScatter, "shm_reduce_scatter", SharedMemoryReduceScatterReduce.Run),
        CollectiveAlgorithm.Offloaded(CollectiveKind.Reduce, (byte)ReduceAlgorithm.Offload),
        CollectiveAlgorithm.NodeAware(CollectiveKind.Reduce, (byte)ReduceAlgorithm.NodeLeaders, "node_leaders", NodeLeadersReduce.RunAsync, SelfVerification.WhenVerified),

        Allreduce(AllreduceAlgorithm.RecursiveDoubling, "recursive_doubling", RecursiveDoublingAllreduce.RunAsync, SelfVerification.Always),
        Allreduce(AllreduceAlgorithm.Rabenseifner, "rabenseifner", RabenseifnerAllreduce.RunAsync, SelfVerification.WhenNoChunkIsEmpty),
        Allreduce(AllreduceAlgorithm.Ring, "ring", RingAllreduce.RunAsync, SelfVerification.WhenNoChunkIsEmpty),
        CollectiveAlgorithm.InWindows(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.SharedMemoryFlat, "shm_flat", SharedMemoryFlatAllreduce.Run),
        CollectiveAlgorithm.InWindows(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.SharedMemoryReduceScatter, "shm_reduce_scatter", SharedMemoryReduceScatterAllreduce.Run),
        CollectiveAlgorithm.Offloaded(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Offload),

        // Every rank's result is the last phase's message, sent only after the earlier phases
        // received (and checked) every rank's contribution: as the allreduce algorithms they run,
        // they verify the call unless some phase's chunk is empty.
        CollectiveAlgorithm.NodeAware(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.NodeLeaders, "node_leaders", NodeLeadersAllreduce.RunAsync, SelfVerification.WhenLeadersVerify),
        CollectiveAlgorithm.NodeAware(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.NodeSlices, "node_slices", NodeSlicesAllreduce.RunAsync, SelfVerification.WhenNoChunkIsEmpty, needsEvenHosts: true),

        Allgather(AllgatherAlgorithm.Ring, "ring", RingAllgather.RunAsync),
        Allgather(AllgatherAlgorithm.RecursiveDoubling, "recursive_doubling", RecursiveDoublingAllgather.RunAsync),
        Allgather(AllgatherAlgorithm.Bruck, "bruck", BruckAllgather.RunAsync),
        CollectiveAlgorithm.NodeAware(CollectiveKind.Allgather, (byte)AllgatherAlgorithm.NodeLeaders, "node_leaders", NodeLeadersAllgather.RunAsync, SelfVerification.Always),
        CollectiveAlgorithm.InWindows(
            CollectiveKind.Allgather,
            (byte)AllgatherAlgorithm.SharedMemory,
            "shm",
            static (context, in call, send, receive) =>
            {
                BlockLayout blocks = WorkingBuffers.AllgatherBlocks(call, send.Length, context.Size);
                SharedMemoryAllgather.Run(context, call, blocks, WorkingBuffers.PlaceOwnBlock(send, receive, blocks, context.Rank));
            }),

        ReduceScatter(ReduceScatterAlgorithm.Ring, "ring", RingReduceScatter.RunAsync),
        ReduceScatter(ReduceScatterAlgorithm.RecursiveHalving, "recursive_halving", RecursiveHalvingReduceScatter.RunAsync),
        CollectiveAlgorithm.NodeAware(CollectiveKind.ReduceScatter, (byte)ReduceScatterAlgorithm.NodeLeaders, "node_leaders", NodeLeadersReduceScatter.RunAsync, SelfVerification.Always),
        CollectiveAlgorithm.NodeAware(CollectiveKind.ReduceScatter, (byte)ReduceScatterAlgorithm.NodeSlices, "node_slices", NodeSlicesReduceScatter.RunAsync, SelfVerification.Always, needsEvenHosts: true),
        CollectiveAlgorithm.InWindows(
            CollectiveKind.ReduceScatter,
            (byte)ReduceScatterAlgorithm.SharedMemory,
            "shm",
            static (context, in call, send, receive) => SharedMemoryReduceScatter.Run(context, call, WorkingBuffers.ReduceScatterBlocks(call, receive.Length, context.Size), send, receive)),

        Gather(GatherAlgorithm.BinomialTree, "binomial", BinomialTreeGather.RunAsync),
        Gather(GatherAlgorithm.Linear, "linear", LinearGather.RunAsync),
        CollectiveAlgorithm.InWindows(
            CollectiveKind.Gather,
            (byte)GatherAlgorithm.SharedMemory,
            "shm",
            static (context, in call, send, receive) => SharedMemoryGather.Run(context, call, WorkingBuffers.AllgatherBlocks(call, send.Length, context.Size), send, receive, call.Root)),

        CollectiveAlgorithm.NodeAware(CollectiveKind.Gather, (byte)GatherAlgorithm.NodeLeaders, "node_leaders", NodeLeadersGather.RunAsync, SelfVerification.WhenVerified),

        Scatter(ScatterAlgorithm.BinomialTree, "binomial", BinomialTreeScatter.RunAsync),
        Scatter(ScatterAlgorithm.Linear, "linear", LinearScatter.RunAsync),
        CollectiveAlgorithm.InWindows(
            CollectiveKind.Scatter,
            (byte)ScatterAlgorithm.SharedMemory,
            "shm",
            static (context, in call, send, receive) => SharedMemoryScatter.Run(context, call, WorkingBuffers.AllgatherBlocks(call, receive.Length, context.Size), send, receive, call.Root)),
        CollectiveAlgorithm.InWindows(
            CollectiveKind.Scatter,
            (byte)ScatterAlgorithm.SharedMemoryFlags,
            "shm_flags",
            static (context, in call, send, receive) => SharedMemoryFlagScatter.Run(context, call, WorkingBuffers.AllgatherBlocks(call, receive.Length, context.Size), send, receive, call.Root)),
        CollectiveAlgorithm.NodeAware(CollectiveKind.Scatter, (byte)ScatterAlgorithm.NodeLeaders, "node_leaders", NodeLeadersScatter.RunAsync, SelfVerification.WhenVerified),

        Alltoall(AlltoallAlgorithm.Pairwise, "pairwise", PairwiseAlltoall.RunAsync),
        Alltoall(AlltoallAlgorithm.Scattered, "scattered", ScatteredAlltoall.RunAsync),
        Alltoall(AlltoallAlgorithm.Bruck, "bruck", static (context, sendBlocks, send, _, receive) => BruckAlltoall.RunAsync(context, sendBlocks.Start(1), send, receive)),
        CollectiveAlgorithm.NodeAware(CollectiveKind.Alltoall, (byte)AlltoallAlgorithm.NodeLeaders, "node_leaders", NodeLeadersAlltoall.RunAsync, SelfVerification.Always),
        CollectiveAlgorithm.NodeAware(CollectiveKind.Alltoall, (byte)AlltoallAlgorithm.NodeSlices, "node_slices", NodeSlicesAlltoall.RunAsync, SelfVerification.Always, needsEvenHosts: true),
        CollectiveAlgorithm.InWindows(
            CollectiveKind.Alltoall,
            (byte)AlltoallAlgorithm.SharedMemory,
            "shm",
            static (context, in call, send, receive) =>
            {
                (BlockLayout sendBlocks, BlockLayout receiveBlocks) = WorkingBuffers.AlltoallBlocks(call, send.Length, receive.Length, context.Size);
                SharedMemoryAlltoall.Run(context, call, sendBlocks, send, receiveBlocks, receive);
            }),
    ];

    /// <summary>The collectives and their lowercase names, as selection strings, metrics and collbench write them.</summary>
    public static IReadOnlyList<(CollectiveKind Kind, string Name)> Collectives { get; } =
    [
        (CollectiveKind.Barrier, "barrier"),
        (CollectiveKind.Broadcast, "broadcast"),
        (CollectiveKind.Reduce, "reduce"),
        (CollectiveKind.Allreduce, "allreduce"),
        (CollectiveKind.Allgather, "allgather"),
        (CollectiveKind.ReduceScatter, "reduce_scatter"),
        (CollectiveKind.Gather, "gather"),
        (CollectiveKind.Scatter, "scatter"),
        (CollectiveKind.Alltoall, "alltoall"),
    ];

    // Rows by collective and enum value, for the per-call lookup.
    private static readonly CollectiveAlgorithm?[][] ByValue = IndexByValue();

    /// <summary>The lowercase name of <paramref name="kind"/>.</summary>
    public static string NameOf(CollectiveKind kind)
    {
        // Called for every call's metrics: a loop, not a query, so nothing is allocated.
        foreach ((CollectiveKind known, string name) in Collectives)
        {
            if (known == kind)
            {
                return name;
            }
        }

        return "unknown";
    }

    /// <summary>The collective called <paramref name="name"/> (any case; <c>bcast</c> for broadcast), or null.</summary>
    public static CollectiveKind? CollectiveNamed(string name)
    {
        string lower = name.ToLowerInvariant();
        return lower == "bcast" ? CollectiveKind.Broadcast
            : Collectives.Where(entry => entry.Name == lower).Select(entry => (CollectiveKind?)entry.Kind).FirstOrDefault();
    }

    /// <summary>The rows of <paramref name="kind"/>.</summary>
    public static IEnumerable<CollectiveAlgorithm> Of(CollectiveKind kind) => All.Where(row => row.Collective == kind);

    /// <summary>The row of <paramref name="kind"/> whose enum value is <paramref name="value"/>, or null.</summary>
    public static CollectiveAlgorithm? Find(CollectiveKind kind, byte value)
        => (uint)kind < (uint)ByValue.Length && value < ByValue[(int)kind].Length ? ByValue[(int)kind][value] : null;

    /// <summary>The row of <paramref name="kind"/> called <paramref name="name"/> (any case), or null.</summary>
    public static CollectiveAlgorithm? Find(CollectiveKind kind, string name)
    {
        string lower = name.ToLowerInvariant();
        return Of(kind).FirstOrDefault(row => row.IsCalled(lower));
    }

    private static CollectiveAlgorithm?[][] IndexByValue()
    {
        var index = new CollectiveAlgorithm?[Collectives.Max(entry => (int)entry.Kind) + 1][];
        foreach ((CollectiveKind kind, _) in Collectives)
        {
            CollectiveAlgorithm[] rows = [.. Of(kind)];
            index[(int)kind] = new CollectiveAlgorithm?[rows.Max(row => row.Value) + 1];
            foreach (CollectiveAlgorithm row in rows)
            {
                index[(int)kind][row.Value] = row;
            }
        }

        for (int kind = 0; kind < index.Length; kind++)
        {
            index[kind] ??= [];
        }

        return index;
    }

    private static CollectiveAlgorithm Barrier(BarrierAlgorithm value, string name, MessageRun run)
        => CollectiveAlgorithm.OfMessages(CollectiveKind.Barrier, (byte)value, name, run, SelfVerification.Always);

    private static CollectiveAlgorithm Broadcast(BroadcastAlgorithm value, string name, RootedRun run)
        => CollectiveAlgorithm.OfMessages(CollectiveKind.Broadcast, (byte)value, name, (context, call, _, receive) => run(context, receive, call.Root), SelfVerification.Never);

    private static CollectiveAlgorithm Reduce(ReduceAlgorithm value, string name, RootedRun run)
        => CollectiveAlgorithm.OfMessages(CollectiveKind.Reduce, (byte)value, name, (context, call, send, receive) => WorkingBuffers.ReduceAsync(context, call, send, receive, run), SelfVerification.Never);

    private static CollectiveAlgorithm Allreduce(AllreduceAlgorithm value, string name, AllreduceRun run, SelfVerification selfVerification)
        => CollectiveAlgorithm.OfMessages(CollectiveKind.Allreduce, (byte)value, name, (context, call, send, receive) => WorkingBuffers.AllreduceAsync(context, call, send, receive, run), selfVerification);

    // Every allgather algorithm exchanges a message (empty ones too) at every step and forwards only
    // what it has received and checked, so each rank hears from every other: they verify themselves.
    private static CollectiveAlgorithm Allgather(AllgatherAlgorithm value, string name, AllgatherRun run)
        => CollectiveAlgorithm.OfMessages(CollectiveKind.Allgather, (byte)value, name, (context, call, send, receive) => WorkingBuffers.AllgatherAsync(context, call, send, receive, run), SelfVerification.Always);

    // Every reduce-scatter algorithm exchanges a message (empty ones too) at every step, and what a
    // rank sends carries everything it has received and checked, so each rank hears from every other.
    private static CollectiveAlgorithm ReduceScatter(ReduceScatterAlgorithm value, string name, ReduceScatterRun run)
        => CollectiveAlgorithm.OfMessages(CollectiveKind.ReduceScatter, (byte)value, name, (context, call, send, receive) => WorkingBuffers.ReduceScatterAsync(context, call, send, receive, run), SelfVerification.Always);

    // The root of a gather only receives and its leaves only send (a scatter the other way round):
    // some rank finishes without hearing from every other, so the call is verified apart.
    private static CollectiveAlgorithm Gather(GatherAlgorithm value, string name, GatherRun run)
        => CollectiveAlgorithm.OfMessages(CollectiveKind.Gather, (byte)value, name, (context, call, send, receive) => WorkingBuffers.GatherAsync(context, call, send, receive, run), SelfVerification.Never);

    private static CollectiveAlgorithm Scatter(ScatterAlgorithm value, string name, ScatterRun run)
        => CollectiveAlgorithm.OfMessages(CollectiveKind.Scatter, (byte)value, name, (context, call, send, receive) => WorkingBuffers.ScatterAsync(context, call, send, receive, run), SelfVerification.Never);

    // Pairwise receives from every rank directly; Bruck's steps spread as a dissemination barrier's.
    private static CollectiveAlgorithm Alltoall(AlltoallAlgorithm value, string name, AlltoallRun run)
        => CollectiveAlgorithm.OfMessages(CollectiveKind.Alltoall, (byte)value, name, (context, call, send, receive) => WorkingBuffers.AlltoallAsync(context, call, send, receive, run), SelfVerification.Always);
}
