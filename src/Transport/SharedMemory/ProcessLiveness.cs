using System.Runtime.InteropServices;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// Whether a peer's process still exists, by its process id, asked of the kernel with
/// <c>kill(pid, 0)</c>. Only meaningful between processes of one pid namespace, which is
/// recorded next to the id (containers on one kernel share /dev/shm but not pids).
/// </summary>
internal static partial class ProcessLiveness
{
    private const int NoSuchProcess = 3;

    /// <summary>This process's id.</summary>
    public static int CurrentProcessId { get; } = Environment.ProcessId;

    /// <summary>An identifier of this process's pid namespace (its inode), or 0 when unknown.</summary>
    public static long CurrentPidNamespace { get; } = ReadPidNamespace();

    /// <summary>False only when the kernel says no process has id <paramref name="processId"/>.</summary>
    public static bool MayBeAlive(int processId)
    {
        if (!OperatingSystem.IsLinux() || processId <= 0)
        {
            return true;
        }

        return kill(processId, 0) == 0 || Marshal.GetLastPInvokeError() != NoSuchProcess;
    }

    private static long ReadPidNamespace()
    {
        try
        {
            // The link reads "pid:[4026531836]".
            string? target = OperatingSystem.IsLinux() ? File.ResolveLinkTarget("/proc/self/ns/pid", false)?.Name : null;
            int open = target?.IndexOf('[') ?? -1;
            return open >= 0 && long.TryParse(target.AsSpan(open + 1, target!.Length - open - 2), out long inode) ? inode : 0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int processId, int signal);
}
