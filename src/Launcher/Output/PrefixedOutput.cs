namespace Collectives.Launcher.Output;

/// <summary>
/// Where the ranks' lines and collrun's own messages go. Each line is written whole under one
/// lock, so lines of different ranks (and of stdout and stderr) never mix within a line.
/// </summary>
internal sealed class PrefixedOutput(TextWriter standardOutput, TextWriter standardError)
{
    private readonly Lock _lock = new();

    /// <summary>Writes one line of a rank's output, prefixed with <c>[rank]</c>, to the same stream it came from.</summary>
    public void RankLine(int rank, bool fromStandardError, string line)
    {
        TextWriter writer = fromStandardError ? standardError : standardOutput;
        lock (_lock)
        {
            writer.WriteLine($"[{rank}] {line}");
            writer.Flush();
        }
    }

    /// <summary>Writes one of collrun's own messages to standard error, prefixed with <c>collrun:</c>.</summary>
    public void Message(string message)
    {
        lock (_lock)
        {
            standardError.WriteLine($"collrun: {message}");
            standardError.Flush();
        }
    }
}
