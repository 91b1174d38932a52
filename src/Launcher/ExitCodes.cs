namespace Collectives.Launcher;

/// <summary>collrun's own exit codes; otherwise it exits with the first non-zero exit code of a rank, or 0.</summary>
internal static class ExitCodes
{
    /// <summary>A project did not build, or the rendezvous server could not start.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The program could not be found or started (as a shell reports a missing command).</summary>
    public const int CannotStart = 127;

    /// <summary>The code for a stop by <paramref name="signal"/> when no rank reported a failure: 128 + the signal, as shells do.</summary>
    public static int ForSignal(int signal) => 128 + signal;
}
