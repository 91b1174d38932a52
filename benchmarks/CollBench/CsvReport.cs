using System.Globalization;
using System.Text;

namespace Collectives.CollBench;

/// <summary>
/// Writes results as CSV in the column layout the peer comparison joins on
/// (library,config,collective,bytes,ranks,...), so Open MPI's rows can sit in the same file format.
/// </summary>
internal static class CsvReport
{
    public const string Header = "library,config,collective,bytes,ranks,avg_us,min_us,max_us,gbps";

    public static void Write(string path, IEnumerable<PointResult> results)
    {
        var text = new StringBuilder().AppendLine(Header);
        foreach (PointResult r in results)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"collectives,{r.Config},{r.Collective},{r.Bytes},{r.Ranks},{r.AvgUs:F3},{r.MinUs:F3},{r.MaxUs:F3},{r.Gbps:G6}"));
        }

        CreateDirectoryFor(path);
        File.WriteAllText(path, text.ToString());
    }

    internal static void CreateDirectoryFor(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
    }
}
