using System.Runtime;
using System.Runtime.InteropServices;

namespace Collectives.CollBench.FirstCalls;

/// <summary>
/// What a call costs besides its own work, read before and after it: methods the JIT compiled
/// (any tier, this process), minor page faults (first touches of mapped or fresh memory), and the
/// processor time of every thread of the process, in user code and in the kernel. A first call
/// that takes longer with nothing compiled and nothing faulted shows here where its time went: a
/// kernel time several times a steady call's is the kernel's own work, such as copies into socket
/// buffers it backs afresh (docs/performance.md, "The first calls of a job").
/// </summary>
internal readonly record struct FirstCallCosts(long MethodsJitted, long MinorFaults, long UserCpuUs, long KernelCpuUs)
{
    public static FirstCallCosts Now()
    {
        ResourceUsage usage = ResourceUsage.OfThisProcess();
        return new(JitInfo.GetCompiledMethodCount(currentThread: false), usage.MinorFaults, usage.UserUs, usage.KernelUs);
    }

    public static FirstCallCosts operator -(FirstCallCosts after, FirstCallCosts before)
        => new(
            after.MethodsJitted - before.MethodsJitted,
            after.MinorFaults - before.MinorFaults,
            after.UserCpuUs - before.UserCpuUs,
            after.KernelCpuUs - before.KernelCpuUs);

    /// <summary>
    /// getrusage(RUSAGE_SELF) on Linux: microsecond processor times and the minor-fault count in
    /// one system call. Elsewhere zeros (the report then shows no costs, not wrong ones).
    /// </summary>
    private readonly record struct ResourceUsage(long UserUs, long KernelUs, long MinorFaults)
    {
        private const int Self = 0;

        public static ResourceUsage OfThisProcess()
        {
            if (!OperatingSystem.IsLinux() || GetResourceUsage(Self, out LinuxRusage usage) != 0)
            {
                return default;
            }

            return new(
                (usage.UserSeconds * 1_000_000) + usage.UserMicroseconds,
                (usage.KernelSeconds * 1_000_000) + usage.KernelMicroseconds,
                usage.MinorFaults);
        }

        [DllImport("libc", EntryPoint = "getrusage")]
        private static extern int GetResourceUsage(int who, out LinuxRusage usage);
    }

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs (minflt is the fifth).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct LinuxRusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long KernelSeconds;
        public long KernelMicroseconds;
        public long MaxResidentKiB;
        public long SharedText;
        public long UnsharedData;
        public long UnsharedStack;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlockInputs;
        public long BlockOutputs;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }
}
