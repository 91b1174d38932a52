using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Collectives.ProcessWorker.Faults;

/// <summary>
/// A rank faulting itself at an exact point of its program: it prints "FAULT rank timestamp" (a
/// <see cref="Stopwatch"/> timestamp, the same clock in every process of the machine) so the test
/// can measure the time from the fault to each survivor's error, then signals itself.
/// </summary>
internal static partial class SelfSignal
{
    private const int SigKill = 9;
    private const int SigStop = 19;

    /// <summary>Ends this process at once with SIGKILL: no finally block, no dispose, no goodbye.</summary>
    public static void Kill(int rank) => Send(rank, SigKill);

    /// <summary>Stops this process with SIGSTOP: it stays alive, holds its connections and says nothing until continued or killed.</summary>
    public static void Stop(int rank) => Send(rank, SigStop);

    /// <summary>Reports the fault's moment (see the class summary) without signalling.</summary>
    public static void Report(int rank) => Console.WriteLine($"FAULT {rank} {Stopwatch.GetTimestamp()}");

    private static void Send(int rank, int signal)
    {
        Report(rank);
        Console.Out.Flush();
        if (Kill(Environment.ProcessId, signal) != 0)
        {
            throw new InvalidOperationException($"kill({Environment.ProcessId}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
