using System.Diagnostics;

namespace Collectives.CollBench;

/// <summary>Measures one (algorithm, size) point the way Open MPI's anchor (mpi_coll_bench.c) does.</summary>
internal static class PointRunner
{
    public static PointResult Run(Communicator comm, BenchSettings settings, BenchAlgorithm algorithm, long bytes, BenchBuffers buffers)
    {
        int count = (int)(bytes / sizeof(float));

        // Warm-up: connections, pools and JIT settle. Timed as a whole (barriers included, so it
        // errs long) only to size the timed loop against the budget.
        int warmUp = IterationPlan.WarmUp(bytes, settings.IterationsScale);
        long warmStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < warmUp; i++)
        {
            algorithm.Call(comm, buffers, count);
            comm.Barrier();
        }

        double perCall = Stopwatch.GetElapsedTime(warmStart).TotalSeconds / warmUp;
        int iterations = AgreeOnIterations(comm, IterationPlan.WithinBudget(IterationPlan.Timed(bytes, settings.IterationsScale), perCall, settings.TimeBudget));

        // Only the call is timed; the barrier after it keeps a fast rank from starting the next
        // call early (which would hide the slowest rank's time), as OSU's loop does.
        long ticks = 0;
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            algorithm.Call(comm, buffers, count);
            ticks += Stopwatch.GetTimestamp() - start;
            comm.Barrier();
        }

        double averageUs = ticks * 1e6 / Stopwatch.Frequency / iterations;
        (double avg, double min, double max) = OverRanks(comm, averageUs);
        string config = comm.TransportName + "/" + algorithm.Name + (settings.VerifyCalls ? string.Empty : "+noverify");
        return new PointResult(settings.Collective, config, algorithm.Name, bytes, comm.Size, iterations, avg, min, max);
    }

    /// <summary>Every rank must run the same number of calls, so rank 0's decision is the one all use.</summary>
    private static int AgreeOnIterations(Communicator comm, int proposed)
    {
        Span<int> decision = [proposed];
        comm.Broadcast(decision, root: 0);
        return decision[0];
    }

    /// <summary>Mean, min and max of the ranks' averages, known to every rank (two small Allreduces).</summary>
    private static (double Avg, double Min, double Max) OverRanks(Communicator comm, double averageUs)
    {
        // Max of (x, -x) gives the max and minus the min in one call.
        Span<double> extremes = [averageUs, -averageUs];
        comm.Allreduce(extremes, ReduceOp.Max);
        Span<double> sum = [averageUs];
        comm.Allreduce(sum, ReduceOp.Sum);
        return (sum[0] / comm.Size, -extremes[1], extremes[0]);
    }
}
