using System.Runtime.InteropServices;

namespace Collectives.Launcher.Signals;

/// <summary>
/// Sends a signal to a process. .NET's <see cref="System.Diagnostics.Process"/> can only kill
/// (SIGKILL), but forwarding Ctrl-C, and stopping ranks so they can clean up, needs SIGINT and
/// SIGTERM, hence kill(2).
/// </summary>
internal static partial class UnixSignal
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    // Linux numbering; the names are for messages only.
    private static readonly string[] Names =
    [
        "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>The signal's name (SIGTERM), or null for a number outside 1-31.</summary>
    public static string? Name(int signal) => signal is > 0 and < 32 ? Names[signal] : null;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="processId"/>; false when the process is already gone.</summary>
    public static bool Send(int processId, int signal) => Kill(processId, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
