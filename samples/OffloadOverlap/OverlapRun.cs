using System.Diagnostics;
using Collectives;

/// <summary>
/// The OSU way of measuring overlap of a non-blocking collective: the collective alone (start, wait),
/// the host work alone, and both (start, work, wait). Overlap = 1 - (both - work) / alone: 100%
/// when the collective hides entirely behind the work, 0% when they simply add up. Offloaded, the
/// NIC runs the call; in software (forced recursive doubling) the library's continuations do.
/// </summary>
internal static class OverlapRun
{
    public static async Task<OverlapResult> RunAsync(Communicator comm, int floats, bool offload, int calls, int workUnits)
    {
        float[] buffer = new float[floats];

        // The three measurements take turns, call by call, so that the machine's drift hits them alike.
        double[] totals = new double[3];
        for (int call = 0; call < calls; call++)
        {
            totals[0] += await TimeAsync(comm, async () => await Start(comm, buffer, offload));
            totals[1] += await TimeAsync(comm, () =>
            {
                DoWork(workUnits);
                return Task.CompletedTask;
            });
            totals[2] += await TimeAsync(comm, async () =>
            {
                ValueTask pending = Start(comm, buffer, offload);
                DoWork(workUnits);
                await pending;
            });
        }

        // Each rank's averages, then the slowest rank's.
        double[] averages = [.. totals.Select(total => total / calls)];
        await comm.AllreduceAsync(averages.AsMemory(), ReduceOp.Max);
        (double alone, double work, double both) = (averages[0], averages[1], averages[2]);
        return new OverlapResult(alone, work, both, Math.Clamp(1 - ((both - work) / alone), 0, 1));
    }

    private static ValueTask Start(Communicator comm, float[] buffer, bool offload) => offload
        ? comm.AllreduceAsync(buffer.AsMemory(), ReduceOp.Sum)
        : comm.AllreduceAsync(buffer, buffer.AsMemory(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);

    private static void DoWork(int units)
    {
        for (int unit = 0; unit < units; unit++)
        {
            HostWork.DoUnit();

            // The simulated NIC's thread shares the cores with the hosts; a yield between units
            // gives it the cycles a real NIC would have of its own (and costs nothing when idle).
            Thread.Yield();
        }
    }

    /// <summary>µs of one step, started after a barrier.</summary>
    private static async Task<double> TimeAsync(Communicator comm, Func<Task> step)
    {
        await comm.BarrierAsync();
        long start = Stopwatch.GetTimestamp();
        await step();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
}

/// <summary>Per-call figures of one <see cref="OverlapRun"/>, µs, each the slowest rank's average.</summary>
/// <param name="Alone">The collective alone.</param>
/// <param name="Work">The host work alone.</param>
/// <param name="Both">Collective started, work done, collective awaited.</param>
/// <param name="Overlap">Share of the collective hidden behind the work, 0 to 1.</param>
internal readonly record struct OverlapResult(double Alone, double Work, double Both, double Overlap);
