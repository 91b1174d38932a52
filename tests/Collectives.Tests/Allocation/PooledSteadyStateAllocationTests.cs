using System.Runtime.InteropServices;
using Collectives.Tests.Support;

namespace Collectives.Tests.Allocation;

/// <summary>
/// Steady-state blocking collectives allocate nothing: after warm-up, each rank's calling thread
/// allocates 0 bytes over a window of calls, whether the algorithms pass messages (in-process
/// transport) or work in shared-memory windows (a real /dev/shm segment). The whole-process figure (which also counts the
/// thread-pool threads that resume the algorithms) is reported, not asserted: it is almost always
/// 0, but the runtime now and then allocates a few bytes of its own there.
/// </summary>
public class PooledSteadyStateAllocationTests
{
    private const int Count = 1024 / sizeof(float);
    private const int WarmUpCalls = 300;
    private const int CallsPerWindow = 200;

    // The runtime itself occasionally allocates a few bytes on a thread that blocks or queues work
    // (lazily created wait objects, thread-pool bookkeeping), so the proof is one clean window per
    // rank; an allocation of ours in every call, or even every few calls, dirties every window.
    private const int Windows = 5;

    /// <summary>AllgatherV, GatherV and ScatterV counts by rank count (2 and 4): uneven, adding up to the buffer.</summary>
    private static readonly int[][] UnevenCounts = [[], [], [Count - 1, 1], [], [Count / 2, 0, Count / 4, Count / 4]];

    /// <summary>
    /// AlltoallV counts by rank count (2 and 4) and rank: a symmetric matrix (one element between
    /// two ranks, the rest of the buffer to itself), so each rank's row is both its send and its
    /// receive counts, adding up to the buffer.
    /// </summary>
    private static readonly int[][][] PairCounts = [.. Enumerable.Range(0, 5).Select(size => Enumerable.Range(0, size)
        .Select(rank => Enumerable.Range(0, size).Select(peer => peer == rank ? Count - (size - 1) : 1).ToArray()).ToArray())];

    public enum Operation
    {
        AllreduceRecursiveDoubling,
        AllreduceRing,
        AllreduceRabenseifner,
        BroadcastBinomialTree,
        BroadcastScatterAllgather,
        ReduceBinomialTree,
        ReduceRabenseifner,
        AllgatherRing,
        AllgatherRecursiveDoubling,
        AllgatherBruck,
        AllgatherVRing,
        AllgatherVBruck,
        Barrier,
        SendReceiveRing,
        SendThenReceivePairs,
        ReduceScatterRing,
        ReduceScatterRecursiveHalving,
        ReduceScatterVRing,
        ReduceScatterVRecursiveHalving,
        GatherBinomialTree,
        GatherLinear,
        GatherVBinomialTree,
        ScatterBinomialTree,
        ScatterLinear,
        ScatterVLinear,
        AlltoallPairwise,
        AlltoallBruck,
        AlltoallVPairwise,
    }

    /// <summary>The collectives the selection table runs in shared-memory windows (left on Auto).</summary>
    public enum WindowOperation
    {
        Allreduce,
        Reduce,
        Broadcast,
        Allgather,
        Barrier,
        ReduceScatter,
        Gather,
        Scatter,
        Alltoall,
    }

    /// <summary>Reductions of the 16-bit floats, whose kernels widen to float through a stack buffer.</summary>
    public enum SixteenBitOperation
    {
        AllreduceHalfSumRecursiveDoubling,
        AllreduceBFloat16ProdRing,
        ReduceHalfMaxBinomialTree,
        ReduceBFloat16MinRabenseifner,
    }

    [Test]
    public void Blocking_reductions_of_16_bit_floats_allocate_nothing_on_each_ranks_thread([Values(2, 4)] int size, [Values] SixteenBitOperation operation)
        => AssertEachRankThreadAllocatesNothing(size, TestTransport.InProcess, $"{operation} (512 16-bit elements)", (comm, buffer) => Call(comm, operation, buffer));

    [Test]
    public void Blocking_calls_allocate_nothing_on_each_ranks_thread([Values(2, 4)] int size, [Values] Operation operation)
        => AssertEachRankThreadAllocatesNothing(size, TestTransport.InProcess, operation.ToString(), (comm, buffer) => Call(comm, operation, buffer));

    [Test]
    public void Blocking_calls_in_shared_memory_windows_allocate_nothing_on_each_ranks_thread([Values(2, 4)] int size, [Values] WindowOperation operation)
        => AssertEachRankThreadAllocatesNothing(size, TestTransport.SharedMemory, $"{operation} in windows", (comm, buffer) => Call(comm, operation, buffer));

    internal static void AssertEachRankThreadAllocatesNothing(int size, TestTransport transport, string name, Action<Communicator, float[]> call)
    {
        OptimizedBuild.RequireForAllocationTests();
        var fewestBytes = new long[size];
        var windowBytes = new long[size][];
        var processBytes = new long[Windows];

        LocalJob.Run(size, options: null, comm =>
        {
            var buffer = new float[Count];
            for (int i = 0; i < WarmUpCalls; i++)
            {
                call(comm, buffer);
            }

            // Every rank runs every window, so the ranks' calls always match.
            long[] mine = new long[Windows];
            for (int window = 0; window < Windows; window++)
            {
                comm.Barrier();
                long processBefore = comm.Rank == 0 ? GC.GetTotalAllocatedBytes(precise: true) : 0;
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < CallsPerWindow; i++)
                {
                    call(comm, buffer);
                }

                mine[window] = GC.GetAllocatedBytesForCurrentThread() - before;

                // Once every rank is through, rank 0 reads the process-wide counter.
                comm.Barrier();
                if (comm.Rank == 0)
                {
                    processBytes[window] = GC.GetTotalAllocatedBytes(precise: true) - processBefore;
                }
            }

            windowBytes[comm.Rank] = mine;
            fewestBytes[comm.Rank] = mine.Min();
        }, transport);

        TestContext.Out.WriteLine($"{name} on {size} ranks, 1 KiB buffers:");
        for (int rank = 0; rank < size; rank++)
        {
            TestContext.Out.WriteLine($"  rank {rank} thread, bytes per window of {CallsPerWindow} calls: {string.Join(", ", windowBytes[rank])}");
        }

        TestContext.Out.WriteLine(
            $"  whole process, bytes per window of {CallsPerWindow} calls on {size} ranks (plus 2 barriers): {string.Join(", ", processBytes)}; " +
            $"best {processBytes.Min() / (double)CallsPerWindow:F2} B/op, worst {processBytes.Max() / (double)CallsPerWindow:F2} B/op");
        Assert.That(fewestBytes, Is.All.Zero, "bytes allocated by each rank's thread in its best window");
    }

    private static void Call(Communicator comm, SixteenBitOperation operation, float[] buffer)
    {
        Span<Half> halves = MemoryMarshal.Cast<float, Half>(buffer.AsSpan());
        Span<BFloat16> bfloat16s = MemoryMarshal.Cast<float, BFloat16>(buffer.AsSpan());
        switch (operation)
        {
            case SixteenBitOperation.AllreduceHalfSumRecursiveDoubling:
                comm.Allreduce(halves, ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);
                break;
            case SixteenBitOperation.AllreduceBFloat16ProdRing:
                comm.Allreduce(bfloat16s, ReduceOp.Prod, AllreduceAlgorithm.Ring);
                break;

            // A Barrier keeps the ranks in step, as for the float reduces below.
            case SixteenBitOperation.ReduceHalfMaxBinomialTree:
                comm.Reduce(halves, ReduceOp.Max, root: 0, ReduceAlgorithm.BinomialTree);
                comm.Barrier();
                break;
            case SixteenBitOperation.ReduceBFloat16MinRabenseifner:
                comm.Reduce(bfloat16s, ReduceOp.Min, root: 0, ReduceAlgorithm.Rabenseifner);
                comm.Barrier();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }

    private static void Call(Communicator comm, WindowOperation operation, float[] buffer)
    {
        switch (operation)
        {
            case WindowOperation.Allreduce:
                comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
                break;
            case WindowOperation.Reduce:
                comm.Reduce(buffer.AsSpan(), ReduceOp.Sum, root: 0);
                break;
            case WindowOperation.Broadcast:
                comm.Broadcast(buffer.AsSpan(), root: 0);
                break;
            case WindowOperation.Allgather:
                comm.Allgather(buffer.AsSpan());
                break;
            case WindowOperation.Barrier:
                comm.Barrier();
                break;
            case WindowOperation.ReduceScatter:
                comm.ReduceScatter(buffer.AsSpan(), ReduceOp.Max);
                break;
            case WindowOperation.Gather:
                comm.Gather<float>(buffer.AsSpan(0, Count / comm.Size), buffer, root: 0);
                break;
            case WindowOperation.Scatter:
                comm.Scatter<float>(buffer, buffer.AsSpan(0, Count / comm.Size), root: 0);
                break;
            case WindowOperation.Alltoall:
                comm.Alltoall(buffer.AsSpan());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }

    private static void Call(Communicator comm, Operation operation, float[] buffer)
    {
        switch (operation)
        {
            case Operation.AllreduceRecursiveDoubling:
                comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);
                break;
            case Operation.AllreduceRing:
                comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Ring);
                break;
            case Operation.AllreduceRabenseifner:
                comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Rabenseifner);
                break;
            case Operation.Barrier:
                comm.Barrier();
                break;

            // In place: the 1 KiB buffer is one block per rank.
            case Operation.AllgatherRing:
                comm.Allgather(buffer.AsSpan(), AllgatherAlgorithm.Ring);
                break;
            case Operation.AllgatherRecursiveDoubling:
                comm.Allgather(buffer.AsSpan(), AllgatherAlgorithm.RecursiveDoubling);
                break;
            case Operation.AllgatherBruck:
                comm.Allgather(buffer.AsSpan(), AllgatherAlgorithm.Bruck);
                break;
            case Operation.AllgatherVRing:
                comm.AllgatherV(buffer.AsSpan(), UnevenCounts[comm.Size], AllgatherAlgorithm.Ring);
                break;
            case Operation.AllgatherVBruck:
                comm.AllgatherV(buffer.AsSpan(), UnevenCounts[comm.Size], AllgatherAlgorithm.Bruck);
                break;

            // In place, Max so the values stay finite call after call.
            case Operation.ReduceScatterRing:
                comm.ReduceScatter(buffer.AsSpan(), ReduceOp.Max, ReduceScatterAlgorithm.Ring);
                break;
            case Operation.ReduceScatterRecursiveHalving:
                comm.ReduceScatter(buffer.AsSpan(), ReduceOp.Max, ReduceScatterAlgorithm.RecursiveHalving);
                break;
            case Operation.ReduceScatterVRing:
                comm.ReduceScatterV(buffer.AsSpan(), UnevenCounts[comm.Size], ReduceOp.Max, ReduceScatterAlgorithm.Ring);
                break;
            case Operation.ReduceScatterVRecursiveHalving:
                comm.ReduceScatterV(buffer.AsSpan(), UnevenCounts[comm.Size], ReduceOp.Max, ReduceScatterAlgorithm.RecursiveHalving);
                break;

            // Sends never block, so without a synchronising call the root of a broadcast (or the
            // leaves of a reduce) would run arbitrarily far ahead and the in-process transport
            // would buffer every message in between: memory growing with the lead, not a steady
            // state. A Barrier after each call keeps the ranks in step, as a real program's next
            // collective would.
            case Operation.BroadcastBinomialTree:
                comm.Broadcast(buffer.AsSpan(), root: 0, BroadcastAlgorithm.BinomialTree);
                comm.Barrier();
                break;
            case Operation.BroadcastScatterAllgather:
                comm.Broadcast(buffer.AsSpan(), root: 0, BroadcastAlgorithm.ScatterAllgather);
                comm.Barrier();
                break;
            case Operation.ReduceBinomialTree:
                comm.Reduce(buffer.AsSpan(), ReduceOp.Sum, root: 0, ReduceAlgorithm.BinomialTree);
                comm.Barrier();
                break;
            case Operation.ReduceRabenseifner:
                comm.Reduce(buffer.AsSpan(), ReduceOp.Sum, root: 0, ReduceAlgorithm.Rabenseifner);
                comm.Barrier();
                break;

            // Point to point: each rank sends its first half and receives into its second.
            case Operation.SendReceiveRing:
                comm.SendReceive<float>(
                    buffer.AsSpan(0, Count / 2), (comm.Rank + 1) % comm.Size, 0,
                    buffer.AsSpan(Count / 2), (comm.Rank + comm.Size - 1) % comm.Size, 0);
                break;
            case Operation.SendThenReceivePairs:
                int partner = comm.Rank ^ 1;
                if (comm.Rank % 2 == 0)
                {
                    comm.Send<float>(buffer.AsSpan(0, Count / 2), partner, 1);
                    comm.Receive<float>(buffer.AsSpan(Count / 2), partner, 2);
                }
                else
                {
                    comm.Receive<float>(buffer.AsSpan(Count / 2), partner, 1);
                    comm.Send<float>(buffer.AsSpan(0, Count / 2), partner, 2);
                }

                break;
            // The root's 1 KiB buffer is one block per rank; every rank sends (or receives) its first block's worth.
            case Operation.GatherBinomialTree:
                comm.Gather<float>(buffer.AsSpan(0, Count / comm.Size), buffer, root: 0, GatherAlgorithm.BinomialTree);
                comm.Barrier();
                break;
            case Operation.GatherLinear:
                comm.Gather<float>(buffer.AsSpan(0, Count / comm.Size), buffer, root: 0, GatherAlgorithm.Linear);
                comm.Barrier();
                break;
            case Operation.GatherVBinomialTree:
                comm.GatherV<float>(buffer.AsSpan(0, UnevenCounts[comm.Size][comm.Rank]), buffer, UnevenCounts[comm.Size], root: 1, GatherAlgorithm.BinomialTree);
                comm.Barrier();
                break;
            case Operation.ScatterBinomialTree:
                comm.Scatter<float>(buffer, buffer.AsSpan(0, Count / comm.Size), root: 0, ScatterAlgorithm.BinomialTree);
                comm.Barrier();
                break;
            case Operation.ScatterLinear:
                comm.Scatter<float>(buffer, buffer.AsSpan(0, Count / comm.Size), root: 0, ScatterAlgorithm.Linear);
                comm.Barrier();
                break;
            // In place: the 1 KiB buffer is one block per rank (AlltoallV: the uneven counts both ways).
            case Operation.AlltoallPairwise:
                comm.Alltoall(buffer.AsSpan(), AlltoallAlgorithm.Pairwise);
                break;
            case Operation.AlltoallBruck:
                comm.Alltoall(buffer.AsSpan(), AlltoallAlgorithm.Bruck);
                break;
            case Operation.AlltoallVPairwise:
                comm.AlltoallV<float>(buffer, PairCounts[comm.Size][comm.Rank], buffer.AsSpan(), PairCounts[comm.Size][comm.Rank], AlltoallAlgorithm.Pairwise);
                break;
            case Operation.ScatterVLinear:
                comm.ScatterV<float>(buffer, buffer.AsSpan(0, UnevenCounts[comm.Size][comm.Rank]), UnevenCounts[comm.Size], root: 1, ScatterAlgorithm.Linear);
                comm.Barrier();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }
}
