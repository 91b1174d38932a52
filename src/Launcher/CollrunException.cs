namespace Collectives.Launcher;

/// <summary>collrun itself cannot go on (bad input, a program that cannot be built or started); the message is for the user.</summary>
internal sealed class CollrunException(string message, int exitCode) : Exception(message)
{
    /// <summary>What collrun exits with (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;
}
