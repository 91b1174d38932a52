using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Collectives.CollBench.FirstCalls;

/// <summary>
/// Times each of a fresh job's first calls on its own, with no warm-up: what a user's first calls
/// and a short job see. A barrier (untimed) before each call lines the ranks up, so a call's time
/// is its own and not a wait for a late peer; every rank's times are then reduced to the slowest.
/// </summary>
internal static class FirstCallsRunner
{
    /// <summary>Per size in order, the first <see cref="BenchSettings.FirstCalls"/> calls; only the first size meets a fresh job.</summary>
    public static List<(FirstCallsReport Report, FirstCallCosts[] Costs)> Run(Communicator comm, BenchSettings settings)
    {
        IReadOnlyList<long> sizes = Sweep.SizesOf(settings);
        var buffers = new BenchBuffers(sizes.Max(), BenchAlgorithms.ReceiveBlocks(settings.Collective, comm.Size), BenchAlgorithms.SendBlocks(settings.Collective, comm.Size));

        // The user's own buffers are the user's cost: touch them before timing, as a program that
        // filled its data would have. What is left in the first calls is the library's.
        Array.Fill(buffers.Receive, 0.0f);
        BenchAlgorithm algorithm = settings.Algorithms[0];

        // collbench's own lambda around the call would be compiled in call 1 too; an application's code is its own cost.
        RuntimeHelpers.PrepareMethod(algorithm.Call.Method.MethodHandle);

        // So is reading the costs: its first reading would count its own compiling against call 1.
        _ = FirstCallCosts.Now() - FirstCallCosts.Now();
        List<(FirstCallsReport, FirstCallCosts[])> results = [];
        foreach (long bytes in sizes)
        {
            results.Add(RunSize(comm, settings.FirstCalls, algorithm, bytes, buffers));
        }

        return results;
    }

    private static (FirstCallsReport, FirstCallCosts[]) RunSize(Communicator comm, int calls, BenchAlgorithm algorithm, long bytes, BenchBuffers buffers)
    {
        int count = (int)(bytes / sizeof(float));
        var timesUs = new double[calls];
        var costs = new FirstCallCosts[calls];
        for (int i = 0; i < calls; i++)
        {
            comm.Barrier();
            FirstCallCosts before = FirstCallCosts.Now();
            long start = Stopwatch.GetTimestamp();
            algorithm.Call(comm, buffers, count);
            timesUs[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            costs[i] = FirstCallCosts.Now() - before;
        }

        comm.Barrier();
        comm.Allreduce(timesUs.AsSpan(), ReduceOp.Max);

        // The costs: the most any rank paid at each call (each kind of cost in its own quarter, in one call).
        var counts = new long[4 * calls];
        for (int i = 0; i < calls; i++)
        {
            counts[i] = costs[i].MethodsJitted;
            counts[calls + i] = costs[i].MinorFaults;
            counts[(2 * calls) + i] = costs[i].UserCpuUs;
            counts[(3 * calls) + i] = costs[i].KernelCpuUs;
        }

        comm.Allreduce(counts.AsSpan(), ReduceOp.Max);
        for (int i = 0; i < calls; i++)
        {
            costs[i] = new FirstCallCosts(counts[i], counts[calls + i], counts[(2 * calls) + i], counts[(3 * calls) + i]);
        }

        return (new FirstCallsReport(bytes, timesUs), costs);
    }

    /// <summary>
    /// The fastest and slowest ranks' ConnectAsync times, known to every rank. The slowest includes
    /// waiting for the last process to start; the fastest (usually that last one) is closest to
    /// what connecting itself costs.
    /// </summary>
    public static (double MinUs, double MaxUs) ConnectUs(Communicator comm, double connectUs)
    {
        Span<double> extremes = [connectUs, -connectUs];
        comm.Allreduce(extremes, ReduceOp.Max);
        return (-extremes[1], extremes[0]);
    }
}
