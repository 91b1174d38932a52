namespace Collectives.Launcher.Output;

/// <summary>
/// Where the ranks' lines and collrun's own messages go. Each line is written whole under one
/// lock, so lines of different ranks (and of stdout and stderr) never mix within a line.
/// </summary>
internal sealed class PrefixedOutput(TextWriter standardOutput, TextWriter standardError)
{
    private readonly Lock _lock = new();

    // Set when a stream can no longer be written (collrun ... | head closed the pipe): its lines
    // are then dropped, but still read from the ranks, so no rank blocks on a full pipe.
    private bool _standardOutputBroken;
    private bool _standardErrorBroken;

    /// <summary>Writes one line of a rank's output, prefixed with <c>[rank]</c>, to the same stream it came from.</summary>
    public void RankLine(int rank, bool fromStandardError, string line)
    {
        lock (_lock)
        {
            if (fromStandardError)
            {
                WriteLine(standardError, ref _standardErrorBroken, $"[{rank}] {line}");
            }
            else
            {
                WriteLine(standardOutput, ref _standardOutputBroken, $"[{rank}] {line}");
            }
        }
    }

    /// <summary>Writes one of collrun's own messages to standard error, prefixed with <c>collrun:</c>.</summary>
    public void Message(string message)
    {
        lock (_lock)
        {
            WriteLine(standardError, ref _standardErrorBroken, $"collrun: {message}");
        }
    }

    /// <summary>Writes lines of collrun's own, unprefixed, to standard error, together: a table another line must not cut.</summary>
    public void Block(IEnumerable<string> lines)
    {
        lock (_lock)
        {
            foreach (string line in lines)
            {
                WriteLine(standardError, ref _standardErrorBroken, line);
            }
        }
    }

    private static void WriteLine(TextWriter writer, ref bool broken, string line)
    {
        if (broken)
        {
            return;
        }

        try
        {
            writer.WriteLine(line);
            writer.Flush();
        }
        catch (IOException)
        {
            broken = true;
        }
    }
}
