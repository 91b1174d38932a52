using System.Diagnostics;
using Collectives;
using Collectives.Offload.Engine;

/// <summary>
/// Blocking Allreduce of <c>floats</c> float32s, offloaded or in software (forced recursive
/// doubling): the completion time the OSU way (an untimed barrier before each timed call; each
/// rank's average, then the maximum over ranks), and, over back-to-back calls, the process CPU time
/// per call and the NIC thread's share of it (with offload, process minus NIC is the host's part).
/// </summary>
internal static class LatencyRun
{
    public static async Task<LatencyResult> RunAsync(Communicator comm, int floats, bool offload, int calls)
    {
        float[] buffer = new float[floats];
        double elapsed = 0;
        for (int call = 0; call < calls; call++)
        {
            comm.Barrier();
            long start = Stopwatch.GetTimestamp();
            Allreduce(comm, buffer, offload);
            elapsed += Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        double[] slowest = [elapsed / calls];
        await comm.AllreduceAsync(slowest.AsMemory(), ReduceOp.Max);

        var engine = (NicEngine)comm.OffloadEngine!;
        comm.Barrier();
        TimeSpan processBefore = Process.GetCurrentProcess().TotalProcessorTime;
        TimeSpan nicBefore = engine.ProcessorTime;
        for (int call = 0; call < calls; call++)
        {
            Allreduce(comm, buffer, offload);
        }

        TimeSpan process = Process.GetCurrentProcess().TotalProcessorTime - processBefore;
        TimeSpan nic = engine.ProcessorTime - nicBefore;
        return new LatencyResult(slowest[0], process.TotalMicroseconds / calls, nic.TotalMicroseconds / calls);
    }

    private static void Allreduce(Communicator comm, float[] buffer, bool offload)
    {
        if (offload)
        {
            comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
        }
        else
        {
            comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);
        }
    }
}

/// <summary>Per-call figures of one <see cref="LatencyRun"/>.</summary>
/// <param name="Microseconds">Completion time: the slowest rank's average.</param>
/// <param name="ProcessCpuMicroseconds">This rank's process CPU time per call, all threads.</param>
/// <param name="NicCpuMicroseconds">The NIC thread's CPU time per call (zero without offload's work).</param>
internal readonly record struct LatencyResult(double Microseconds, double ProcessCpuMicroseconds, double NicCpuMicroseconds);
