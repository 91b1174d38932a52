using System.Globalization;
using System.Text;

namespace Collectives.Diagnostics;

/// <summary>
/// The file one communicator's flight record is written to, in the directory collrun names
/// (<see cref="Bootstrap.LaunchVariables.FlightRecords"/>), and read back by collrun to print
/// every rank's last calls side by side. Plain text, a line per call, so a person can read it too.
/// </summary>
internal static class FlightRecordFile
{
    private const string Header = "collectives flight record v1";
    private static int s_communicators;

    /// <summary>A file name of its own for a communicator of this process: a process may hold several.</summary>
    public static string NameFor(int rank)
        => string.Create(CultureInfo.InvariantCulture, $"rank-{rank}.{Environment.ProcessId}.{Interlocked.Increment(ref s_communicators)}.flight");

    /// <summary>Writes <paramref name="records"/> of rank <paramref name="rank"/> of <paramref name="size"/> to <paramref name="path"/>, replacing what was there.</summary>
    public static void Write(string path, int rank, int size, IReadOnlyList<FlightRecord> records)
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"rank\t{rank}\tsize\t{size}\n");
        foreach (FlightRecord record in records)
        {
            string call = record.Call.ToString();
            call = call[(call.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            text.Append(CultureInfo.InvariantCulture, $"{record.Call.Sequence}\t{record.Describe()}\t{record.StartedAt.UtcTicks}\t{(record.Duration is { } duration ? duration.Ticks.ToString(CultureInfo.InvariantCulture) : "-")}\t{call}\n");
        }

        // Written whole, then renamed into place: a reader never sees half a record.
        string partial = path + ".partial";
        File.WriteAllText(partial, text.ToString());
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>Reads a file made by <see cref="Write"/>; null when it is not one (a reader must not fail on a stray file).</summary>
    public static RankFlightRecord? Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return null;
        }

        if (lines.Length < 2 || lines[0] != Header)
        {
            return null;
        }

        string[] identity = lines[1].Split('\t');
        if (identity.Length != 4 || !int.TryParse(identity[1], CultureInfo.InvariantCulture, out int rank) || !int.TryParse(identity[3], CultureInfo.InvariantCulture, out int size))
        {
            return null;
        }

        var calls = new List<RecordedCall>(lines.Length - 2);
        foreach (string line in lines.AsSpan(2))
        {
            string[] fields = line.Split('\t', 5);
            if (fields.Length == 5
                && ulong.TryParse(fields[0], CultureInfo.InvariantCulture, out ulong sequence)
                && long.TryParse(fields[2], CultureInfo.InvariantCulture, out long started)
                && TryParseDuration(fields[3], out TimeSpan? duration))
            {
                calls.Add(new RecordedCall(sequence, fields[4], fields[1], new DateTimeOffset(started, TimeSpan.Zero), duration));
            }
        }

        return new RankFlightRecord(rank, size, calls);
    }

    /// <summary>A duration as <see cref="Write"/> puts it: ticks, or <c>-</c> for a call whose end was not timed.</summary>
    private static bool TryParseDuration(string text, out TimeSpan? duration)
    {
        duration = null;
        if (text == "-")
        {
            return true;
        }

        if (!long.TryParse(text, CultureInfo.InvariantCulture, out long ticks))
        {
            return false;
        }

        duration = TimeSpan.FromTicks(ticks);
        return true;
    }
}

/// <summary>One rank's flight record as read back from its file.</summary>
/// <param name="Rank">The communicator's rank.</param>
/// <param name="Size">The communicator's size.</param>
/// <param name="Calls">Its last calls, oldest first.</param>
internal sealed record RankFlightRecord(int Rank, int Size, IReadOnlyList<RecordedCall> Calls);

/// <summary>One call of a <see cref="RankFlightRecord"/>.</summary>
/// <param name="Sequence">The call's number on its communicator.</param>
/// <param name="Call">The call without its number, for example <c>Allreduce(Sum, 4 x Single) [ring]</c>.</param>
/// <param name="State">Where the rank stood, as <see cref="FlightRecord.Describe"/> says it.</param>
/// <param name="StartedAt">When the call began on that rank.</param>
/// <param name="Duration">How long it ran, or had run when recorded; null for a completed call (see <see cref="FlightRecord.Duration"/>).</param>
internal sealed record RecordedCall(ulong Sequence, string Call, string State, DateTimeOffset StartedAt, TimeSpan? Duration);
