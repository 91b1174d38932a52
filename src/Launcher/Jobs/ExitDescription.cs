using Collectives.Launcher.Signals;

namespace Collectives.Launcher.Jobs;

/// <summary>Says how a rank ended, for collrun's messages.</summary>
internal static class ExitDescription
{
    /// <summary>
    /// "exited with code 3", or, for codes above 128 (what .NET reports for a process a signal
    /// ended: 128 + the signal), "was killed by SIGSEGV (exit code 139)". A program that calls
    /// exit(139) itself looks the same; that is rare enough to name the signal.
    /// </summary>
    public static string Of(int exitCode)
        => exitCode > 128 && UnixSignal.Name(exitCode - 128) is { } signal && !OperatingSystem.IsWindows()
            ? $"was killed by {signal} (exit code {exitCode})"
            : $"exited with code {exitCode}";
}
