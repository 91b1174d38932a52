using System.Globalization;

namespace Collectives.CollBench.Comparison;

/// <summary>Reads the CSV that collbench (<see cref="CsvReport"/>) and the Open MPI peer program both write.</summary>
internal static class PointCsv
{
    public static List<MeasuredPoint> Parse(string text, string origin)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || lines[0] != CsvReport.Header)
        {
            throw new FormatException($"{origin}: expected the header '{CsvReport.Header}', got '{(lines.Length == 0 ? "nothing" : lines[0])}'.");
        }

        List<MeasuredPoint> points = [];
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split(',');
            if (fields.Length != 9
                || !long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out long bytes)
                || !int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out int ranks)
                || !double.TryParse(fields[7], NumberStyles.Float, CultureInfo.InvariantCulture, out double maxUs))
            {
                throw new FormatException($"{origin}: malformed row '{line}'.");
            }

            points.Add(new MeasuredPoint(fields[0], fields[2], bytes, ranks, maxUs));
        }

        return points;
    }
}
